import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrPrimitives
import AnkrTrie
import ArgumentParser
import Crypto
import CSecp256k1
import Foundation

struct PrimitivesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "primitives",
        abstract: "Keccak-256, ecrecover, transaction RLP decode, MPT and Merkle-tree roots, each against a baseline.")

    @Option(help: "Scale the iteration counts (1 = default, lower for a quick look).")
    var scale: Double = 1

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    struct Row {
        let name: String
        let ours: Double
        let baselineName: String
        let baseline: Double
        /// ours/baseline speed: > 1 means we are faster.
        var ratio: Double { baseline / ours }
    }

    func run() throws {
        try reportingErrors {
            #if DEBUG
            var err = StandardError()
            print("ankr-bench: warning: this is a debug build; run `swift build -c release` for real numbers", to: &err)
            #endif
            let rows = try [keccak(32), keccak(1024), ecrecover(), rlpDecode(), trie(), merkle()]
            if json {
                print(JSON.array(rows.map {
                    ["name": .string($0.name), "ours_seconds": .double($0.ours), "baseline": .string($0.baselineName),
                     "baseline_seconds": .double($0.baseline), "speed_ratio": .double($0.ratio)]
                }).text)
                return
            }
            print("benchmark".padding(toLength: 42, withPad: " ", startingAt: 0) + "ours".padding(toLength: 14, withPad: " ", startingAt: 0)
                  + "baseline".padding(toLength: 44, withPad: " ", startingAt: 0) + "ours/baseline speed")
            for r in rows {
                print(r.name.padding(toLength: 42, withPad: " ", startingAt: 0)
                      + Self.format(r.ours).padding(toLength: 14, withPad: " ", startingAt: 0)
                      + "\(Self.format(r.baseline)) \(r.baselineName)".padding(toLength: 44, withPad: " ", startingAt: 0)
                      + String(format: "%.2f×", r.ratio))
            }
        }
    }

    static func format(_ seconds: Double) -> String {
        if seconds < 1e-6 { return String(format: "%.0f ns", seconds * 1e9) }
        if seconds < 1e-3 { return String(format: "%.2f µs", seconds * 1e6) }
        return String(format: "%.2f ms", seconds * 1e3)
    }

    func iterations(_ n: Int) -> Int { max(1, Int(Double(n) * scale)) }

    func keccak(_ size: Int) -> Row {
        let data = [UInt8](repeating: 0xab, count: size)
        let n = iterations(size <= 32 ? 400_000 : 40_000)
        let ours = Stopwatch.secondsPerCall(iterations: n) { blackHole(Keccak256.hash(data)) }
        let base = Stopwatch.secondsPerCall(iterations: n) { blackHole(SHA3_256.hash(data: data)) }
        return Row(name: "keccak256 \(size) B", ours: ours, baselineName: "swift-crypto SHA3_256", baseline: base)
    }

    func ecrecover() throws -> Row {
        let key = try PrivateKey(hex: "0x" + String(repeating: "42", count: 32))
        let hash = Keccak256.hash(Array("bench".utf8))
        let sig = try key.sign(hash: hash)
        let n = iterations(20_000)
        let ours = Stopwatch.secondsPerCall(iterations: n) { blackHole(try? sig.recoverPublicKey(hash: hash)) }
        // The same work straight through the C API: parse, recover, serialize the public key.
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            throw BenchError.secp256k1ContextUnavailable
        }
        defer { secp256k1_context_destroy(ctx) }
        let compact = sig.r + sig.s
        let recid = Int32(sig.recoveryID)
        var out = [UInt8](repeating: 0, count: 65)
        let base = Stopwatch.secondsPerCall(iterations: n) {
            var rs = secp256k1_ecdsa_recoverable_signature()
            var pk = secp256k1_pubkey()
            var len = 65
            _ = secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, compact, recid)
            _ = secp256k1_ecdsa_recover(ctx, &pk, &rs, hash)
            _ = secp256k1_ec_pubkey_serialize(ctx, &out, &len, &pk, UInt32(SECP256K1_EC_UNCOMPRESSED))
            blackHole(out)
        }
        return Row(name: "ecrecover (public key)", ours: ours, baselineName: "libsecp256k1 called from C API", baseline: base)
    }

    func rlpDecode() throws -> Row {
        let key = try PrivateKey(hex: "0x" + String(repeating: "42", count: 32))
        let tx = try Transaction.dynamicFee(
            chainID: 7331, nonce: 42, maxPriorityFeePerGas: UInt256(1_500_000_000), maxFeePerGas: UInt256(30_000_000_000),
            gasLimit: 65_000, to: Address(hex: "0x" + String(repeating: "35", count: 20)),
            value: UInt256(1_000_000_000_000_000), data: ABI.encodeCall("transfer(address,uint256)", [.address(key.address), .uint(UInt256(1000))])
        ).signed(with: key)
        let raw = tx.encoded
        // Baseline: the same transaction as the JSON object eth_getTransactionByHash returns, parsed by Foundation.
        let jsonText = Data("""
            {"type":"0x2","chainId":"0x1ca3","nonce":"0x2a","maxPriorityFeePerGas":"0x59682f00","maxFeePerGas":"0x6fc23ac00",\
            "gas":"0xfde8","to":"\(tx.to?.checksummed ?? "")","value":"0x38d7ea4c68000","input":"\(tx.data.hexPrefixed)",\
            "accessList":[],"v":"\(tx.v.hexQuantity)","r":"\(tx.r.hexQuantity)","s":"\(tx.s.hexQuantity)"}
            """.utf8)
        let n = iterations(100_000)
        let ours = Stopwatch.secondsPerCall(iterations: n) { blackHole(try? Transaction(raw: raw)) }
        let base = Stopwatch.secondsPerCall(iterations: n) { blackHole(try? JSONSerialization.jsonObject(with: jsonText)) }
        return Row(name: "decode signed EIP-1559 tx (\(raw.count) B)", ours: ours, baselineName: "Foundation JSON parse of same tx", baseline: base)
    }

    func trie() throws -> Row {
        var rng = SystemRandomNumberGenerator()
        let count = max(100, iterations(10_000))
        let keys = (0..<count).map { _ in (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        let value = [UInt8](repeating: 0x11, count: 70)
        let ours = Stopwatch.secondsPerCall(iterations: 1, rounds: 3) {
            var t = MerklePatriciaTrie()
            for k in keys { try? t.put(k, value) }
            blackHole(t.rootHash)
        }
        // Baseline: one SHA3_256 (optimized C) per key of the same key‖value bytes, the hashing floor.
        let base = Stopwatch.secondsPerCall(iterations: 1, rounds: 3) {
            for k in keys { blackHole(SHA3_256.hash(data: k + value)) }
        }
        return Row(name: "MPT insert+root \(count) keys", ours: ours, baselineName: "\(count)× SHA3_256(key‖value)", baseline: base)
    }

    func merkle() throws -> Row {
        let leaves = (0..<(1 << 16)).map { i in Keccak256.h256([UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: i >> 8)]) }
        let ours = Stopwatch.secondsPerCall(iterations: 1, rounds: 3) { blackHole(try? BinaryMerkleTree(leaves: leaves).root) }
        // Baseline: the same 65,535 pair hashes with swift-crypto's SHA3_256 over a flat buffer.
        let base = Stopwatch.secondsPerCall(iterations: 1, rounds: 3) {
            var level = leaves.map { $0.bytes }
            while level.count > 1 {
                var next = [[UInt8]]()
                next.reserveCapacity(level.count / 2)
                var i = 0
                while i < level.count { next.append(Array(SHA3_256.hash(data: level[i] + level[i + 1]))); i += 2 }
                level = next
            }
            blackHole(level)
        }
        return Row(name: "Merkle root 65,536 leaves", ours: ours, baselineName: "65,535× SHA3_256 pair hashes", baseline: base)
    }
}
