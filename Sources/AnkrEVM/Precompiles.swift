import AnkrCrypto
import AnkrPrimitives
import Crypto

/// The precompiled contracts at 0x01–0x0a: ecrecover, SHA-256, RIPEMD-160, identity, modexp, bn254
/// addition, multiplication and the pairing check, BLAKE2 F, and the KZG point evaluation.
public enum Precompiles {
    public typealias Contract = ([UInt8], UInt64) -> FrameResult

    /// Every precompile address (all are warm from a transaction's start, EIP-2929).
    public static let addresses: [Address] = (1...10).compactMap { try? Address([UInt8](repeating: 0, count: 19) + [UInt8($0)]) }

    static func words(_ n: Int) -> UInt64 { UInt64((n + 31) / 32) }

    public static func contract(at address: Address) -> Contract? {
        let b = address.bytes
        guard b[0..<19].allSatisfy({ $0 == 0 }), (1...10).contains(b[19]) else { return nil }
        switch b[19] {
        case 1: return ecrecover
        case 2: return { input, gas in priced(60 + 12 * words(input.count), gas) { Array(SHA256.hash(data: input)) } }
        case 3: return { input, gas in priced(600 + 120 * words(input.count), gas) { [UInt8](repeating: 0, count: 12) + RIPEMD160.hash(input) } }
        case 4: return { input, gas in priced(15 + 3 * words(input.count), gas) { input } }
        case 5: return ModExp.run
        case 6: return BN254.ecAdd
        case 7: return BN254.ecMul
        case 8: return BN254.Pairing.run
        case 9: return blake2f
        default: return KZGPointEvaluation.run
        }
    }

    static func priced(_ cost: UInt64, _ gas: UInt64, _ body: () -> [UInt8]) -> FrameResult {
        guard gas >= cost else { return FrameResult(status: .failure("out of gas"), gasLeft: 0, output: []) }
        return FrameResult(status: .success, gasLeft: gas - cost, output: body())
    }

    static func ecrecover(_ input: [UInt8], _ gas: UInt64) -> FrameResult {
        priced(3_000, gas) {
            var data = input + [UInt8](repeating: 0, count: max(0, 128 - input.count))
            data = Array(data.prefix(128))
            let hash = Array(data[0..<32])
            guard let v = UInt256(bigEndian: data[32..<64]), v == UInt256(27) || v == UInt256(28),
                  let r = UInt256(bigEndian: data[64..<96]), let s = UInt256(bigEndian: data[96..<128]),
                  !r.isZero, !s.isZero, r < Signature.order, s < Signature.order,
                  let sig = try? Signature(r: r, s: s, recoveryID: UInt8((v.uint64 ?? 27) - 27), allowHighS: true),
                  let address = try? sig.recoverAddress(hash: hash) else { return [] }
            return [UInt8](repeating: 0, count: 12) + address.bytes
        }
    }

    static func blake2f(_ input: [UInt8], _ gas: UInt64) -> FrameResult {
        guard input.count == 213, input[212] <= 1 else { return FrameResult(status: .failure("blake2f input"), gasLeft: 0, output: []) }
        let rounds = UInt32(input[0]) << 24 | UInt32(input[1]) << 16 | UInt32(input[2]) << 8 | UInt32(input[3])
        return priced(UInt64(rounds), gas) {
            func le64(_ o: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(input[o + $1]) << (8 * UInt64($1)) } }
            var h = (0..<8).map { le64(4 + 8 * $0) }
            let msg = (0..<16).map { le64(68 + 8 * $0) }
            let t0 = le64(196), t1 = le64(204)
            Blake2.compress(&h, msg, t0, t1, input[212] == 1, rounds: Int(rounds))
            return h.flatMap { w in (0..<8).map { UInt8(truncatingIfNeeded: w >> (8 * UInt64($0))) } }
        }
    }
}

/// BLAKE2b's compression function F (EIP-152), with a chosen number of rounds.
enum Blake2 {
    static let iv: [UInt64] = [0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                               0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179]
    static let sigma: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
        [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
        [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
        [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
        [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    ]

    static func compress(_ h: inout [UInt64], _ m: [UInt64], _ t0: UInt64, _ t1: UInt64, _ last: Bool, rounds: Int) {
        var v = h + iv
        v[12] ^= t0; v[13] ^= t1
        if last { v[14] = ~v[14] }
        func g(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ x: UInt64, _ y: UInt64) {
            v[a] = v[a] &+ v[b] &+ x; v[d] = (v[d] ^ v[a]).rotatedRight(32)
            v[c] = v[c] &+ v[d]; v[b] = (v[b] ^ v[c]).rotatedRight(24)
            v[a] = v[a] &+ v[b] &+ y; v[d] = (v[d] ^ v[a]).rotatedRight(16)
            v[c] = v[c] &+ v[d]; v[b] = (v[b] ^ v[c]).rotatedRight(63)
        }
        for r in 0..<rounds {
            let s = sigma[r % 10]
            g(0, 4, 8, 12, m[s[0]], m[s[1]]); g(1, 5, 9, 13, m[s[2]], m[s[3]])
            g(2, 6, 10, 14, m[s[4]], m[s[5]]); g(3, 7, 11, 15, m[s[6]], m[s[7]])
            g(0, 5, 10, 15, m[s[8]], m[s[9]]); g(1, 6, 11, 12, m[s[10]], m[s[11]])
            g(2, 7, 8, 13, m[s[12]], m[s[13]]); g(3, 4, 9, 14, m[s[14]], m[s[15]])
        }
        for i in 0..<8 { h[i] ^= v[i] ^ v[i + 8] }
    }
}

extension UInt64 {
    func rotatedRight(_ n: UInt64) -> UInt64 { (self >> n) | (self << (64 - n)) }
}
