import AnkrPrimitives

/// Pieces of the JSON text Intel signs, written by hand so the signed bytes are exactly what a test expects
/// (compact, keys in Intel's order, upper-case hex).
enum TestJSON {
    /// A JSON string literal.
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Upper-case hex, as Intel writes FMSPC, MRSIGNER, attributes and masks.
    static func upperHex(_ bytes: [UInt8]) -> String { bytes.hex.uppercased() }

    /// `,"advisoryIDs":[...]`, or nothing when there are none.
    static func advisories(_ ids: [String]) -> String {
        ids.isEmpty ? "" : ",\"advisoryIDs\":[" + ids.map(string).joined(separator: ",") + "]"
    }

    /// Bytes of a hex literal written in this module; a typo shows up as an empty field every verifier refuses.
    static func bytes(hex text: String) -> [UInt8] {
        (try? [UInt8](hex: text)) ?? []
    }
}
