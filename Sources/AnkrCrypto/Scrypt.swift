import Crypto
import CryptoExtras

/// scrypt (RFC 7914) for keystore files whose parameters BoringSSL refuses.
///
/// BoringSSL requires N < 2^(16·r), but geth, eth-account and MyCrypto have written files with
/// N = 2^18 and r = 1 for years; ethereum/tests' KeyStoreTests has one. We use swift-crypto's scrypt
/// when it accepts the parameters and this implementation (PBKDF2 from swift-crypto around our own
/// Salsa20/8 ROMix) when it does not, so every valid keystore opens.
enum Scrypt {
    static func derive(password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int, length: Int) throws -> [UInt8] {
        if let key = try? KDF.Scrypt.deriveKey(from: password, salt: salt, outputByteCount: length, rounds: n, blockSize: r, parallelism: p) {
            return key.withUnsafeBytes { Array($0) }
        }
        return try portableDerive(password: password, salt: salt, n: n, r: r, p: p, length: length)
    }

    /// The RFC 7914 algorithm without BoringSSL's extra parameter limits.
    static func portableDerive(password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int, length: Int) throws -> [UInt8] {
        let blockBytes = 128 * r
        var b = try pbkdf2(password, salt: salt, length: p * blockBytes)
        var v = [UInt32](repeating: 0, count: 32 * r * n)
        var x = [UInt32](repeating: 0, count: 32 * r)
        var y = [UInt32](repeating: 0, count: 32 * r)
        for i in 0..<p {
            for k in 0..<(32 * r) {
                let o = i * blockBytes + 4 * k
                x[k] = UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
            }
            roMix(&x, &y, &v, n: n, r: r)
            for k in 0..<(32 * r) {
                let o = i * blockBytes + 4 * k
                b[o] = UInt8(truncatingIfNeeded: x[k]); b[o + 1] = UInt8(truncatingIfNeeded: x[k] >> 8)
                b[o + 2] = UInt8(truncatingIfNeeded: x[k] >> 16); b[o + 3] = UInt8(truncatingIfNeeded: x[k] >> 24)
            }
        }
        return try pbkdf2(password, salt: b, length: length)
    }

    private static func pbkdf2(_ password: [UInt8], salt: [UInt8], length: Int) throws -> [UInt8] {
        try KDF.Insecure.PBKDF2.deriveKey(from: password, salt: salt, using: .sha256, outputByteCount: length, unsafeUncheckedRounds: 1)
            .withUnsafeBytes { Array($0) }
    }

    private static func roMix(_ x: inout [UInt32], _ y: inout [UInt32], _ v: inout [UInt32], n: Int, r: Int) {
        let words = 32 * r
        x.withUnsafeMutableBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                v.withUnsafeMutableBufferPointer { vp in
                    let X = xp.baseAddress!, Y = yp.baseAddress!, V = vp.baseAddress!
                    for i in 0..<n {
                        (V + i * words).update(from: X, count: words)
                        blockMix(X, Y, r: r)
                    }
                    for _ in 0..<n {
                        // Integerify: the first word of the last 64-byte sub-block, modulo n (a power of two).
                        let j = Int(X[(2 * r - 1) * 16]) & (n - 1)
                        let vj = V + j * words
                        for k in 0..<words { X[k] ^= vj[k] }
                        blockMix(X, Y, r: r)
                    }
                }
            }
        }
    }

    /// BlockMix with Salsa20/8; `b` is 2r 64-byte blocks, `scratch` the same size.
    private static func blockMix(_ b: UnsafeMutablePointer<UInt32>, _ scratch: UnsafeMutablePointer<UInt32>, r: Int) {
        var t = (UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                 UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0))
        withUnsafeMutableBytes(of: &t) { raw in
            let tp = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
            tp.update(from: b + (2 * r - 1) * 16, count: 16)
            for i in 0..<(2 * r) {
                for k in 0..<16 { tp[k] ^= b[i * 16 + k] }
                salsa20_8(tp)
                // Even blocks go to the first half, odd blocks to the second.
                let dest = (i % 2 == 0 ? i / 2 : r + i / 2) * 16
                (scratch + dest).update(from: tp, count: 16)
            }
        }
        b.update(from: scratch, count: 32 * r)
    }

    @inline(__always)
    private static func rotl(_ v: UInt32, _ n: UInt32) -> UInt32 { (v &<< n) | (v &>> (32 &- n)) }

    private static func salsa20_8(_ s: UnsafeMutablePointer<UInt32>) {
        var x0 = s[0], x1 = s[1], x2 = s[2], x3 = s[3], x4 = s[4], x5 = s[5], x6 = s[6], x7 = s[7]
        var x8 = s[8], x9 = s[9], x10 = s[10], x11 = s[11], x12 = s[12], x13 = s[13], x14 = s[14], x15 = s[15]
        for _ in 0..<4 {
            // Column round.
            x4 ^= rotl(x0 &+ x12, 7); x8 ^= rotl(x4 &+ x0, 9); x12 ^= rotl(x8 &+ x4, 13); x0 ^= rotl(x12 &+ x8, 18)
            x9 ^= rotl(x5 &+ x1, 7); x13 ^= rotl(x9 &+ x5, 9); x1 ^= rotl(x13 &+ x9, 13); x5 ^= rotl(x1 &+ x13, 18)
            x14 ^= rotl(x10 &+ x6, 7); x2 ^= rotl(x14 &+ x10, 9); x6 ^= rotl(x2 &+ x14, 13); x10 ^= rotl(x6 &+ x2, 18)
            x3 ^= rotl(x15 &+ x11, 7); x7 ^= rotl(x3 &+ x15, 9); x11 ^= rotl(x7 &+ x3, 13); x15 ^= rotl(x11 &+ x7, 18)
            // Row round.
            x1 ^= rotl(x0 &+ x3, 7); x2 ^= rotl(x1 &+ x0, 9); x3 ^= rotl(x2 &+ x1, 13); x0 ^= rotl(x3 &+ x2, 18)
            x6 ^= rotl(x5 &+ x4, 7); x7 ^= rotl(x6 &+ x5, 9); x4 ^= rotl(x7 &+ x6, 13); x5 ^= rotl(x4 &+ x7, 18)
            x11 ^= rotl(x10 &+ x9, 7); x8 ^= rotl(x11 &+ x10, 9); x9 ^= rotl(x8 &+ x11, 13); x10 ^= rotl(x9 &+ x8, 18)
            x12 ^= rotl(x15 &+ x14, 7); x13 ^= rotl(x12 &+ x15, 9); x14 ^= rotl(x13 &+ x12, 13); x15 ^= rotl(x14 &+ x13, 18)
        }
        s[0] &+= x0; s[1] &+= x1; s[2] &+= x2; s[3] &+= x3; s[4] &+= x4; s[5] &+= x5; s[6] &+= x6; s[7] &+= x7
        s[8] &+= x8; s[9] &+= x9; s[10] &+= x10; s[11] &+= x11; s[12] &+= x12; s[13] &+= x13; s[14] &+= x14; s[15] &+= x15
    }
}
