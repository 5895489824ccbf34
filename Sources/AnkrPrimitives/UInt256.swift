/// A 256-bit unsigned integer in four 64-bit limbs (least significant first) with the wrapping
/// arithmetic the EVM needs. Signed operations read the same bits as two's complement.
public struct UInt256: Hashable, Sendable {
    /// Limbs, least significant first.
    public var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    public static let zero = UInt256(0)
    public static let one = UInt256(1)
    public static let max = UInt256(w0: .max, w1: .max, w2: .max, w3: .max)

    @inlinable
    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    @inlinable
    public init(_ v: UInt64) { self.init(w0: v, w1: 0, w2: 0, w3: 0) }

    /// Converts a non-negative `Int`; traps on negative values (a programming error, not input).
    @inlinable
    public init(_ v: Int) {
        precondition(v >= 0, "UInt256 from a negative Int")
        self.init(UInt64(v))
    }

    /// Limbs as an array, least significant first.
    public var limbs: [UInt64] { [w0, w1, w2, w3] }

    init(limbs l: [UInt64]) { self.init(w0: l[0], w1: l[1], w2: l[2], w3: l[3]) }

    /// Limb `i` (0 least significant); a switch the optimizer folds, so no array is allocated.
    @inlinable
    subscript(limb i: Int) -> UInt64 {
        get {
            switch i {
            case 0: return w0
            case 1: return w1
            case 2: return w2
            default: return w3
            }
        }
        set {
            switch i {
            case 0: w0 = newValue
            case 1: w1 = newValue
            case 2: w2 = newValue
            default: w3 = newValue
            }
        }
    }

    /// Reads up to 32 big-endian bytes; returns nil when there are more than 32.
    @inlinable
    public init?<C: Collection>(bigEndian bytes: C) where C.Element == UInt8 {
        let count = bytes.count
        guard count <= 32 else { return nil }
        var r = UInt256(w0: 0, w1: 0, w2: 0, w3: 0)
        var bit = count * 8
        for b in bytes {
            bit -= 8
            r[limb: bit >> 6] |= UInt64(b) << UInt64(bit & 63)
        }
        self = r
    }

    /// The 32 big-endian bytes.
    @inlinable
    public var bigEndianBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, initialized in
            for i in 0..<32 { buffer[31 - i] = UInt8(truncatingIfNeeded: self[limb: i >> 3] >> UInt64((i & 7) * 8)) }
            initialized = 32
        }
    }

    /// Big-endian bytes without leading zeros (zero is the empty array), as RLP encodes integers.
    public var minimalBigEndianBytes: [UInt8] {
        // Written straight from the limbs: RLP encodes every nonce, balance and length this way.
        let n = (bitWidth + 7) >> 3
        if n == 0 { return [] }
        return [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n { buffer[n - 1 - i] = UInt8(truncatingIfNeeded: self[limb: i >> 3] >> UInt64((i & 7) * 8)) }
            initialized = n
        }
    }

    @inlinable
    public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// Number of significant bits (0 for zero).
    @inlinable
    public var bitWidth: Int {
        if w3 != 0 { return 256 - w3.leadingZeroBitCount }
        if w2 != 0 { return 192 - w2.leadingZeroBitCount }
        if w1 != 0 { return 128 - w1.leadingZeroBitCount }
        return 64 - w0.leadingZeroBitCount
    }

    /// True when the top bit is set (negative as two's complement).
    @inlinable
    public var isNegative: Bool { w3 >> 63 == 1 }

    /// The value as UInt64 when it fits.
    @inlinable
    public var uint64: UInt64? { (w1 | w2 | w3) == 0 ? w0 : nil }

    /// The value as Int when it fits in a non-negative Int.
    @inlinable
    public var int: Int? {
        guard let v = uint64, v <= UInt64(Int.max) else { return nil }
        return Int(v)
    }

    /// Byte `i` counted from the most significant end (the EVM's BYTE); zero when `i` ≥ 32.
    @inlinable
    public func byte(_ i: UInt256) -> UInt256 {
        guard (i.w1 | i.w2 | i.w3) == 0, i.w0 < 32 else { return .zero }
        let pos = 31 - Int(i.w0)
        return UInt256((self[limb: pos >> 3] >> UInt64((pos & 7) * 8)) & 0xff)
    }
}

extension UInt256: Comparable {
    @inlinable
    public static func < (a: UInt256, b: UInt256) -> Bool {
        if a.w3 != b.w3 { return a.w3 < b.w3 }
        if a.w2 != b.w2 { return a.w2 < b.w2 }
        if a.w1 != b.w1 { return a.w1 < b.w1 }
        return a.w0 < b.w0
    }

    /// Two's complement comparison (the EVM's SLT).
    @inlinable
    public static func signedLess(_ a: UInt256, _ b: UInt256) -> Bool {
        let an = a.isNegative, bn = b.isNegative
        if an != bn { return an }
        return a < b
    }
}

extension UInt256 {
    @inlinable
    public static func == (a: UInt256, b: UInt256) -> Bool {
        ((a.w0 ^ b.w0) | (a.w1 ^ b.w1) | (a.w2 ^ b.w2) | (a.w3 ^ b.w3)) == 0
    }

    /// The four limbs; the same words the synthesized version fed, written out so it inlines.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(w0); hasher.combine(w1); hasher.combine(w2); hasher.combine(w3)
    }
}

extension UInt256: ExpressibleByIntegerLiteral {
    @inlinable
    public init(integerLiteral value: UInt64) { self.init(value) }
}
