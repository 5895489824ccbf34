import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrTestSupport
import XCTest

/// Random and mutated raw transactions: decoding and validation either succeed or throw, never trap.
final class TransactionFuzzTests: XCTestCase {
    func testDecoderNeverTraps() throws {
        let key = try PrivateKey(hex: "0x" + String(repeating: "11", count: 32))
        let to = try Address(hex: "0x" + String(repeating: "22", count: 20))
        let seeds = try [
            Transaction.legacy(chainID: 1, nonce: 3, gasPrice: UInt256(1000), gasLimit: 21_000, to: to, value: UInt256(7)),
            Transaction.accessList(chainID: 1, nonce: 3, gasPrice: UInt256(1000), gasLimit: 30_000, to: to, value: .zero,
                                   data: [1, 2, 3], accessList: [AccessListEntry(address: to, storageKeys: [.zero])]),
            Transaction.dynamicFee(chainID: 1, nonce: 3, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(9), gasLimit: 60_000,
                                   to: nil, value: .zero, data: [0x60, 0x01]),
        ].map { try $0.signed(with: key).encoded }
        var rng = SplitMix64(seed: 99)
        var accepted = 0
        for i in 0..<100_000 {
            var b = seeds[i % seeds.count]
            if i % 10 == 0 {
                b = [UInt8.random(in: 0...3, using: &rng)] + (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                for _ in 0...Int.random(in: 0...2, using: &rng) {
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    case 1: b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
                    default: b.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...b.count, using: &rng))
                    }
                    if b.isEmpty { b = [0xc0] }
                }
            }
            if let tx = try? Transaction(raw: b) {
                accepted += 1
                XCTAssertEqual(tx.encoded, b, "decoding is canonical")
                // Only signature-bearing mutations reach recovery; a quarter suffices to cover it.
                if i % 4 == 0 { _ = try? tx.validate(chainID: 1) }
            }
        }
        XCTAssertGreaterThan(accepted, 100)
    }
}
