/// Splits PEM text into the DER of its blocks the way dcap-qvl's `pem` crate does, so a chain both accept or both
/// refuse: blocks are found in order until one is incomplete (text after the last complete block is ignored); inside a
/// block whitespace is skipped and the base64 must be canonical; BEGIN and END must name the same label.
enum PEMBlocks {
    /// The DER of each block, or nil when a found block is malformed.
    static func decode(_ text: String) -> [[UInt8]]? {
        let bytes = Array(text.utf8)
        var blocks: [[UInt8]] = []
        var at = 0
        while let begin = find(Array("-----BEGIN ".utf8), in: bytes, from: at),
              let labelEnd = find(dashes, in: bytes, from: begin + 11),
              let end = find(Array("-----END ".utf8), in: bytes, from: labelEnd + dashes.count),
              let endLabelEnd = find(dashes, in: bytes, from: end + 9) {
            guard bytes[begin + 11..<labelEnd] == bytes[end + 9..<endLabelEnd],
                  let der = base64(bytes[(labelEnd + dashes.count)..<end]) else { return nil }
            blocks.append(der)
            at = endLabelEnd + dashes.count
        }
        return blocks
    }

    private static let dashes = Array("-----".utf8)

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard start <= haystack.count, needle.count <= haystack.count - start else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Strict base64 (standard alphabet, padded, zero trailing bits), whitespace skipped.
    private static func base64(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let chars = text.filter { ![0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains($0) }
        guard !chars.isEmpty, chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        for group in stride(from: 0, to: chars.count, by: 4) {
            let last = group + 4 == chars.count
            var values: [UInt32] = []
            var padding = 0
            for c in chars[group..<group + 4] {
                if c == UInt8(ascii: "=") {
                    guard last else { return nil }
                    padding += 1
                    values.append(0)
                } else {
                    guard padding == 0, let v = value(c) else { return nil }
                    values.append(v)
                }
            }
            guard padding <= 2 else { return nil }
            let n = values[0] << 18 | values[1] << 12 | values[2] << 6 | values[3]
            // Canonical: the bits the padding hides must be zero.
            if padding == 2 && n & 0xFFFF != 0 || padding == 1 && n & 0xFF != 0 { return nil }
            out.append(UInt8(n >> 16))
            if padding < 2 { out.append(UInt8(n >> 8 & 0xFF)) }
            if padding < 1 { out.append(UInt8(n & 0xFF)) }
        }
        return out
    }

    private static func value(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
