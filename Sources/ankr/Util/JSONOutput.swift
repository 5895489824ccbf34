import Foundation

/// Prints values as JSON with sorted keys, so scripts can parse `--json` output.
enum JSONOutput {
    static func print(pretty: Bool = false, _ object: Any) throws {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        let data = try JSONSerialization.data(withJSONObject: object, options: options)
        Swift.print(String(decoding: data, as: UTF8.self))
    }

    static func parse(_ text: String, what: String) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw CommandFailure("\(what) is not valid JSON")
        }
    }
}
