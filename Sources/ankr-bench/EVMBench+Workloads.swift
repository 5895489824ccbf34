import AnkrPrimitives

extension EVMBench {
    /// The contract `callHeavy` calls: stores 42 and returns it as one word.
    static let callee = (address: "0x000000000000000000000000000000000000ca11", code: [UInt8]([0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]))

    /// `prefix`, then `body` run `count` times with the loop counter (count down to 1) on top of the stack; `body`
    /// must leave the stack as it found it.
    static func loop(prefix: [UInt8] = [], _ body: [UInt8], count: UInt32) -> [UInt8] {
        let start = prefix.count + 5
        let counter: [UInt8] = [0x63, UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)]
        // JUMPDEST body; n -= 1; jump to the JUMPDEST while n ≠ 0.
        return prefix + counter + [0x5b] + body + [0x60, 0x01, 0x90, 0x03, 0x80, 0x61, UInt8(start >> 8), UInt8(start & 0xff), 0x57, 0x00]
    }

    /// The programs, each a loop of `iterations` turns (the arithmetic loop 10×, the keccak and memory loops 5× as
    /// many, so each runs long enough to time), and the bn254 pairings.
    func workloads() -> [Workload] {
        let n = UInt32(iterations)
        // 7·9+3, dropped.
        let arithmetic = Self.loop([0x60, 0x07, 0x60, 0x09, 0x02, 0x60, 0x03, 0x01, 0x50], count: n * 10)
        // keccak(mem[0..32]) → mem[0].
        let keccak = Self.loop([0x60, 0x20, 0x60, 0x00, 0x20, 0x60, 0x00, 0x52], count: n * 5)
        // sstore(n, n): a fresh slot every turn.
        let storage = Self.loop([0x80, 0x80, 0x55], count: n)
        // balances[0xaa] -= 1; balances[0xbb] += 1 with Solidity's mapping slots keccak(key ‖ 0).
        let erc20 = Self.loop(prefix: [0x60, 0xaa, 0x60, 0x00, 0x52], [
            0x60, 0x40, 0x60, 0x00, 0x20, 0x80, 0x54, 0x60, 0x01, 0x90, 0x03, 0x90, 0x55,
            0x60, 0xbb, 0x60, 0x00, 0x52, 0x60, 0x40, 0x60, 0x00, 0x20, 0x80, 0x54, 0x60, 0x01, 0x01, 0x90, 0x55,
            0x60, 0xaa, 0x60, 0x00, 0x52,
        ], count: n)
        // call(gas, callee, 0, 0, 0, 0, 32) and staticcall(gas, callee, 0, 0, 0, 32), results dropped.
        let calls = Self.loop([0x60, 0x20, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x61, 0xca, 0x11, 0x5a, 0xf1, 0x50,
                               0x60, 0x20, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x61, 0xca, 0x11, 0x5a, 0xfa, 0x50], count: n)
        // off = n & 0xfe0: mstore(off, n); mstore(off + 4096, mload(off) + 1); mcopy(0x2000, off, 1024) — 9 KiB of memory.
        let memory = Self.loop([0x80, 0x61, 0x0f, 0xe0, 0x16, 0x81, 0x81, 0x52,
                                0x80, 0x51, 0x60, 0x01, 0x01, 0x81, 0x61, 0x10, 0x00, 0x01, 0x52,
                                0x61, 0x04, 0x00, 0x90, 0x61, 0x20, 0x00, 0x5e], count: n * 5)
        // k STATICCALLs of the bn254 pairing precompile on e(G1, G2)·e(−G1, G2), copied first from the code's tail.
        let k = UInt32(max(1, min(255, Int(iterations) / 4_000)))
        let pairingCall: [UInt8] = [0x60, 0x20, 0x61, 0x01, 0x80, 0x61, 0x01, 0x80, 0x60, 0x00, 0x60, 0x08, 0x5a, 0xfa, 0x50]
        let tail = UInt16(9 + Self.loop(pairingCall, count: k).count)
        let pairing = Self.loop(prefix: [0x61, 0x01, 0x80, 0x61, UInt8(tail >> 8), UInt8(tail & 0xff), 0x60, 0x00, 0x39], pairingCall, count: k)
            + Self.pairingInput
        return [Workload(name: "arithmetic loop", code: arithmetic), Workload(name: "keccak loop", code: keccak),
                Workload(name: "storage writes", code: storage), Workload(name: "ERC-20 transfers", code: erc20),
                Workload(name: "call-heavy", code: calls, accounts: [Self.callee]), Workload(name: "memory-heavy", code: memory),
                Workload(name: "bn254 pairings", code: pairing)]
    }

    /// (G1, G2) and (−G1, G2) with the EIP-197 generators: 384 bytes whose pairing check is 1.
    static var pairingInput: [UInt8] {
        let p = (try? UInt256(parsing: "21888242871839275222246405745257275088696311157297823662689037894645226208583")) ?? .zero
        let g2 = ["11559732032986387107991004021392285783925812861821192530917403151452391805634",
                  "10857046999023057135944570762232829481370756359578518086990519993285655852781",
                  "4082367875863433681332203403145435568316851327593401208105741076214120093531",
                  "8495653923123431417604973247489272438418190587263600148770280649306958101930"]
            .flatMap { ((try? UInt256(parsing: $0)) ?? .zero).bigEndianBytes }
        return UInt256.one.bigEndianBytes + UInt256(2).bigEndianBytes + g2 + UInt256.one.bigEndianBytes + (p &- UInt256(2)).bigEndianBytes + g2
    }
}
