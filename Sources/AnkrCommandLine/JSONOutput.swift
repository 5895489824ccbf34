import AnkrPrimitives

/// Prints JSON with sorted keys, so scripts can parse `--json` output: compact on one line, or
/// pretty in the layout Foundation's `JSONSerialization` wrote before (two-space indent, `"key" : value`,
/// empty containers over two lines), so output people diffed stays the same.
public enum JSONOutput {
    public static func print(pretty: Bool = false, _ value: JSON) {
        Swift.print(pretty ? Self.pretty(value) : value.text)
    }

    /// `text` read as JSON (any value, not only objects); `what` names it in the error.
    public static func parse(_ text: String, what: String) throws -> JSON {
        do { return try JSON(parsing: text) } catch { throw CommandFailure("\(what) is not valid JSON") }
    }

    /// The indented text of `value`.
    public static func pretty(_ value: JSON) -> String {
        var out = ""
        write(value, indent: "", to: &out)
        return out
    }

    private static func write(_ value: JSON, indent: String, to out: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let elements):
            out += "[\n"
            for (i, element) in elements.enumerated() {
                if i > 0 { out += ",\n" }
                out += inner
                write(element, indent: inner, to: &out)
            }
            out += "\n" + indent + "]"
        case .object(let members):
            out += "{\n"
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out += ",\n" }
                out += inner + JSON.string(key).text + " : "
                if let member = members[key] { write(member, indent: inner, to: &out) }
            }
            out += "\n" + indent + "}"
        default:
            out += value.text
        }
    }
}
