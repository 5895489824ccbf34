/// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01 … 0x80), not NIST SHA3-256's 0x06.
public struct Keccak256: Sendable {
    /// Bytes absorbed per permutation (1600 − 2·256 bits).
    public static let rate = 136

    private var state = [UInt64](repeating: 0, count: 25)
    private var buffer = [UInt8](repeating: 0, count: 136)
    private var buffered = 0

    public init() {}

    /// One-shot hash of a byte collection.
    public static func hash<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        if let out = data.withContiguousStorageIfAvailable({ oneShot(UnsafeRawBufferPointer($0)) }) {
            return out
        }
        return Array(data).withUnsafeBytes { oneShot($0) }
    }

    /// One-shot hash of raw bytes (the EVM's SHA3 hashes its memory in place).
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] { oneShot(bytes) }

    /// One-shot hash returned as ``H256``.
    public static func h256<C: Collection>(_ data: C) -> H256 where C.Element == UInt8 {
        H256(unchecked: hash(data))
    }

    /// One-shot hash of raw bytes read as a big-endian word (the EVM's SHA3 result); allocates nothing.
    public static func word(_ bytes: UnsafeRawBufferPointer) -> UInt256 { digest(bytes) }

    /// One-shot hash of a byte collection read as a big-endian word.
    public static func word<C: Collection>(_ data: C) -> UInt256 where C.Element == UInt8 {
        if let w = data.withContiguousStorageIfAvailable({ word(UnsafeRawBufferPointer($0)) }) { return w }
        return Array(data).withUnsafeBytes { word($0) }
    }

    private static func oneShot(_ input: UnsafeRawBufferPointer) -> [UInt8] { digest(input).bigEndianBytes }

    /// Absorbs `input`, pads, permutes and returns the digest read big-endian. The state and the last block
    /// live on the stack: a 32-byte key allocates nothing. (Not generic over a result: a generic closure here
    /// cost a runtime metadata lookup per hash.)
    private static func digest(_ input: UnsafeRawBufferPointer) -> UInt256 {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 25 + 17) { scratch in
            let lanes = scratch.baseAddress!
            lanes.initialize(repeating: 0, count: 25 + 17)
            var offset = 0
            while input.count - offset >= rate {
                absorbBlock(input, offset, lanes)
                offset += rate
            }
            let last = UnsafeMutableRawBufferPointer(start: lanes + 25, count: rate)
            let rest = input.count - offset
            if rest > 0 {
                last.baseAddress!.copyMemory(from: input.baseAddress! + offset, byteCount: rest)
            }
            last[rest] ^= 0x01
            last[rate - 1] ^= 0x80
            absorbBlock(UnsafeRawBufferPointer(last), 0, lanes)
            // Digest byte 0 is the low byte of lane 0 and the most significant byte of the word.
            return UInt256(w0: lanes[3].byteSwapped, w1: lanes[2].byteSwapped, w2: lanes[1].byteSwapped, w3: lanes[0].byteSwapped)
        }
    }

    /// Absorbs more input.
    public mutating func update<C: Collection>(_ data: C) where C.Element == UInt8 {
        let absorbed: Bool? = data.withContiguousStorageIfAvailable { raw in
            self.absorb(UnsafeRawBufferPointer(raw))
            return true
        }
        if absorbed == nil {
            Array(data).withUnsafeBytes { self.absorb($0) }
        }
    }

    private mutating func absorb(_ input: UnsafeRawBufferPointer) {
        var offset = 0
        let rate = Self.rate
        if buffered > 0 {
            let take = min(rate - buffered, input.count)
            for i in 0..<take { buffer[buffered + i] = input[i] }
            buffered += take
            offset = take
            if buffered == rate {
                buffer.withUnsafeBytes { block in
                    state.withUnsafeMutableBufferPointer { s in Self.absorbBlock(block, 0, s.baseAddress!) }
                }
                buffered = 0
            }
        }
        if input.count - offset >= rate {
            state.withUnsafeMutableBufferPointer { s in
                let lanes = s.baseAddress!
                while input.count - offset >= rate {
                    Self.absorbBlock(input, offset, lanes)
                    offset += rate
                }
            }
        }
        let rest = input.count - offset
        for i in 0..<rest { buffer[buffered + i] = input[offset + i] }
        buffered += rest
    }

    @inline(__always)
    private static func absorbBlock(_ block: UnsafeRawBufferPointer, _ offset: Int, _ lanes: UnsafeMutablePointer<UInt64>) {
        for i in 0..<17 {
            lanes[i] ^= UInt64(littleEndian: block.loadUnaligned(fromByteOffset: offset + i * 8, as: UInt64.self))
        }
        permute(lanes)
    }

    /// Pads, squeezes and returns the 32-byte digest.
    public consuming func finalize() -> [UInt8] {
        for i in buffered..<Self.rate { buffer[i] = 0 }
        buffer[buffered] ^= 0x01
        buffer[Self.rate - 1] ^= 0x80
        buffer.withUnsafeBytes { block in
            state.withUnsafeMutableBufferPointer { s in Self.absorbBlock(block, 0, s.baseAddress!) }
        }
        var out = [UInt8](repeating: 0, count: 32)
        for i in 0..<4 {
            let lane = state[i].littleEndian
            withUnsafeBytes(of: lane) { b in
                for j in 0..<8 { out[i * 8 + j] = b[j] }
            }
        }
        return out
    }

    @inline(__always)
    private static func rotl(_ v: UInt64, _ n: UInt64) -> UInt64 { (v &<< n) | (v &>> (64 &- n)) }

    private static let roundConstants: [UInt64] = [
        0x0000000000000001,
        0x0000000000008082,
        0x800000000000808A,
        0x8000000080008000,
        0x000000000000808B,
        0x0000000080000001,
        0x8000000080008081,
        0x8000000000008009,
        0x000000000000008A,
        0x0000000000000088,
        0x0000000080008009,
        0x000000008000000A,
        0x000000008000808B,
        0x800000000000008B,
        0x8000000000008089,
        0x8000000000008003,
        0x8000000000008002,
        0x8000000000000080,
        0x000000000000800A,
        0x800000008000000A,
        0x8000000080008081,
        0x8000000000008080,
        0x0000000080000001,
        0x8000000080008008,
    ]

    /// Keccak-f[1600] on 25 little-endian lanes, lane (x, y) at index x + 5y. Unrolled into locals so the
    /// optimizer keeps the state in registers; this is the hot path of every hash on the chain.
    @inline(__always)
    static func permute(_ s: UnsafeMutablePointer<UInt64>) {
        var a00 = s[0]; var a10 = s[1]; var a20 = s[2]; var a30 = s[3]; var a40 = s[4];
        var a01 = s[5]; var a11 = s[6]; var a21 = s[7]; var a31 = s[8]; var a41 = s[9];
        var a02 = s[10]; var a12 = s[11]; var a22 = s[12]; var a32 = s[13]; var a42 = s[14];
        var a03 = s[15]; var a13 = s[16]; var a23 = s[17]; var a33 = s[18]; var a43 = s[19];
        var a04 = s[20]; var a14 = s[21]; var a24 = s[22]; var a34 = s[23]; var a44 = s[24];
        for round in 0..<24 {
            let c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04
            let c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14
            let c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24
            let c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34
            let c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44
            let d0 = c4 ^ rotl(c1, 1)
            let d1 = c0 ^ rotl(c2, 1)
            let d2 = c1 ^ rotl(c3, 1)
            let d3 = c2 ^ rotl(c4, 1)
            let d4 = c3 ^ rotl(c0, 1)
            let b00 = a00 ^ d0
            let b13 = rotl(a01 ^ d0, 36)
            let b21 = rotl(a02 ^ d0, 3)
            let b34 = rotl(a03 ^ d0, 41)
            let b42 = rotl(a04 ^ d0, 18)
            let b02 = rotl(a10 ^ d1, 1)
            let b10 = rotl(a11 ^ d1, 44)
            let b23 = rotl(a12 ^ d1, 10)
            let b31 = rotl(a13 ^ d1, 45)
            let b44 = rotl(a14 ^ d1, 2)
            let b04 = rotl(a20 ^ d2, 62)
            let b12 = rotl(a21 ^ d2, 6)
            let b20 = rotl(a22 ^ d2, 43)
            let b33 = rotl(a23 ^ d2, 15)
            let b41 = rotl(a24 ^ d2, 61)
            let b01 = rotl(a30 ^ d3, 28)
            let b14 = rotl(a31 ^ d3, 55)
            let b22 = rotl(a32 ^ d3, 25)
            let b30 = rotl(a33 ^ d3, 21)
            let b43 = rotl(a34 ^ d3, 56)
            let b03 = rotl(a40 ^ d4, 27)
            let b11 = rotl(a41 ^ d4, 20)
            let b24 = rotl(a42 ^ d4, 39)
            let b32 = rotl(a43 ^ d4, 8)
            let b40 = rotl(a44 ^ d4, 14)
            a00 = b00 ^ (~b10 & b20)
            a10 = b10 ^ (~b20 & b30)
            a20 = b20 ^ (~b30 & b40)
            a30 = b30 ^ (~b40 & b00)
            a40 = b40 ^ (~b00 & b10)
            a01 = b01 ^ (~b11 & b21)
            a11 = b11 ^ (~b21 & b31)
            a21 = b21 ^ (~b31 & b41)
            a31 = b31 ^ (~b41 & b01)
            a41 = b41 ^ (~b01 & b11)
            a02 = b02 ^ (~b12 & b22)
            a12 = b12 ^ (~b22 & b32)
            a22 = b22 ^ (~b32 & b42)
            a32 = b32 ^ (~b42 & b02)
            a42 = b42 ^ (~b02 & b12)
            a03 = b03 ^ (~b13 & b23)
            a13 = b13 ^ (~b23 & b33)
            a23 = b23 ^ (~b33 & b43)
            a33 = b33 ^ (~b43 & b03)
            a43 = b43 ^ (~b03 & b13)
            a04 = b04 ^ (~b14 & b24)
            a14 = b14 ^ (~b24 & b34)
            a24 = b24 ^ (~b34 & b44)
            a34 = b34 ^ (~b44 & b04)
            a44 = b44 ^ (~b04 & b14)
            a00 ^= roundConstants[round]
        }
        s[0] = a00; s[1] = a10; s[2] = a20; s[3] = a30; s[4] = a40;
        s[5] = a01; s[6] = a11; s[7] = a21; s[8] = a31; s[9] = a41;
        s[10] = a02; s[11] = a12; s[12] = a22; s[13] = a32; s[14] = a42;
        s[15] = a03; s[16] = a13; s[17] = a23; s[18] = a33; s[19] = a43;
        s[20] = a04; s[21] = a14; s[22] = a24; s[23] = a34; s[24] = a44;
    }
}
