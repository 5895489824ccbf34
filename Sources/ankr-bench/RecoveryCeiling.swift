import CSecp256k1
import Dispatch
import Foundation

/// The physical limit of block import: recovering the senders' public keys with libsecp256k1
/// called directly (parse the compact signature, recover, serialize), on all cores, with the
/// signing hashes already computed. No node can import signed transactions faster than this.
struct RecoveryCeiling {
    /// One signature as libsecp256k1 takes it.
    struct Input: Sendable {
        let hash: [UInt8]
        let compact: [UInt8]
        let recoveryID: Int32
    }

    let inputs: [Input]
    let threads: Int

    /// Checks (untimed) that every input recovers: one that did not would make the figure wrong.
    init(inputs: [Input], threads: Int) throws {
        self.inputs = inputs
        self.threads = max(1, threads)
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            throw BenchError.secp256k1ContextUnavailable
        }
        defer { secp256k1_context_destroy(ctx) }
        for input in inputs where !Self.recover(ctx, input) {
            throw BenchError.workloadFailed(status: "a benchmark signature does not recover")
        }
    }

    /// Seconds to recover every input once, split evenly over `threads` threads.
    func measure() throws -> Double {
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            throw BenchError.secp256k1ContextUnavailable
        }
        defer { secp256k1_context_destroy(ctx) }
        let context = SendableContext(raw: ctx)
        let inputs = self.inputs
        let threads = self.threads
        let chunk = (inputs.count + threads - 1) / threads
        let clock = ContinuousClock()
        return clock.measure {
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                for i in (t * chunk)..<min(inputs.count, (t + 1) * chunk) { _ = Self.recover(context.raw, inputs[i]) }
            }
        }.seconds
    }

    private static func recover(_ ctx: OpaquePointer, _ input: Input) -> Bool {
        var sig = secp256k1_ecdsa_recoverable_signature()
        var pk = secp256k1_pubkey()
        var out = [UInt8](repeating: 0, count: 65)
        var len = 65
        return secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, input.compact, input.recoveryID) == 1
            && secp256k1_ecdsa_recover(ctx, &pk, &sig, input.hash) == 1
            && secp256k1_ec_pubkey_serialize(ctx, &out, &len, &pk, UInt32(SECP256K1_EC_UNCOMPRESSED)) == 1
    }

    /// libsecp256k1 documents a context as safe to share between threads once it is only read.
    private struct SendableContext: @unchecked Sendable {
        let raw: OpaquePointer
    }
}
