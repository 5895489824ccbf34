/// Hex-prefix ("compact") encoding of nibble paths, as the Yellow Paper's appendix C defines it.
enum Nibbles {
    static func from(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(b >> 4); out.append(b & 0x0f) }
        return out
    }

    static func toBytes(_ nibbles: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(nibbles.count / 2)
        var i = 0
        while i + 1 < nibbles.count { out.append(nibbles[i] << 4 | nibbles[i + 1]); i += 2 }
        return out
    }

    static func encodeCompact<C: Collection>(_ path: C, leaf: Bool) -> [UInt8] where C.Element == UInt8, C.Index == Int {
        let flag: UInt8 = leaf ? 2 : 0
        var out = [UInt8]()
        out.reserveCapacity(path.count / 2 + 1)
        var i = path.startIndex
        if path.count % 2 == 1 {
            out.append((flag | 1) << 4 | path[i])
            i += 1
        } else {
            out.append(flag << 4)
        }
        while i < path.endIndex { out.append(path[i] << 4 | path[i + 1]); i += 2 }
        return out
    }

    /// Returns the nibble path and whether it ends a leaf; nil for an invalid flag byte.
    static func decodeCompact(_ bytes: [UInt8]) -> (path: [UInt8], leaf: Bool)? {
        guard let first = bytes.first else { return nil }
        let flag = first >> 4
        guard flag <= 3 else { return nil }
        var path = [UInt8]()
        if flag & 1 == 1 {
            path.append(first & 0x0f)
        } else if first & 0x0f != 0 {
            return nil
        }
        for b in bytes.dropFirst() { path.append(b >> 4); path.append(b & 0x0f) }
        return (path, flag & 2 == 2)
    }

    static func commonPrefixLength(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        var n = 0
        var i = a.startIndex, j = b.startIndex
        while i < a.endIndex, j < b.endIndex, a[i] == b[j] { n += 1; i += 1; j += 1 }
        return n
    }
}
