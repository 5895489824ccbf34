/// Why a benchmark could not run or gave a result that cannot be trusted.
enum BenchError: Error, Equatable, CustomStringConvertible {
    /// Options that make no measurement (`options` must be `requirement`).
    case options(String, mustBe: String)
    /// The node's RPC server has no usable port.
    case noRPCPort(Int)
    /// The block producer built an empty block while transactions were waiting.
    case producerStalled
    /// A phase (`what`) did not finish within `seconds`.
    case timedOut(String, seconds: Int)
    /// py-evm and Ankr disagree on the gas a workload used: the comparison would be meaningless.
    case gasMismatch(workload: String, pyevm: UInt64, ankr: UInt64)
    /// A tracer changed the gas a workload used: tracing must change nothing the EVM computes.
    case tracedGasMismatch(workload: String, tracer: String, untraced: UInt64, traced: UInt64)
    /// A workload's EVM call did not succeed.
    case workloadFailed(status: String)
    /// The py-evm baseline did not run with the interpreter given.
    case pyevmUnavailable(python: String)
    /// The oracle bench's HTTPS source needs `openssl` to make a certificate.
    case opensslUnavailable
    case certificateNotMade
    /// The enclave answered only some requests.
    case unanswered(answered: Int, of: Int)
    /// The relay reported failed deliveries (the first failure's reason).
    case deliveryFailed(String)
    /// The relay delivered only some requests in the time allowed.
    case undelivered(delivered: Int, of: Int, seconds: Int)
    /// Async work ended without a result.
    case noResult
    /// The Plasma operator dropped transactions it should have included.
    case operatorDroppedTransactions
    /// A valid Plasma transaction was refused.
    case validTransactionRefused
    /// The libsecp256k1 baseline could not start.
    case secp256k1ContextUnavailable
    /// Load-generator connections failed mid-run.
    case connectionsFailed(Int)
    /// No useful-work examples to measure.
    case noExamples(directory: String)
    /// An input file could not be read.
    case unreadable(path: String)
    /// The dcap-qvl baseline did not run with the interpreter given.
    case dcapQVLUnavailable(python: String)
    /// An application-chain step did not do what the benchmark needs (`why`).
    case appChain(String)

    var description: String {
        switch self {
        case .options(let options, let requirement): return "\(options) must be \(requirement)"
        case .noRPCPort(let port): return "bad port \(port)"
        case .producerStalled: return "producer made no progress"
        case .timedOut(let what, let seconds): return "\(what) did not finish in \(seconds) s"
        case .gasMismatch(let workload, let pyevm, let ankr): return "\(workload): py-evm used \(pyevm) gas, Ankr \(ankr)"
        case .tracedGasMismatch(let workload, let tracer, let untraced, let traced):
            return "\(workload): \(untraced) gas untraced, \(traced) under the \(tracer)"
        case .workloadFailed(let status): return "the workload failed: \(status)"
        case .pyevmUnavailable(let python): return "py-evm did not run (is py-evm installed for \(python)?)"
        case .opensslUnavailable: return "the oracle bench needs openssl to make its source's certificate"
        case .certificateNotMade: return "openssl could not make a certificate"
        case .unanswered(let answered, let total): return "only \(answered) of \(total) requests were answered"
        case .deliveryFailed(let why): return "deliveries failed: \(why)"
        case .undelivered(let done, let total, let seconds): return "the relay delivered \(done) of \(total) in \(seconds) s"
        case .noResult: return "no result"
        case .operatorDroppedTransactions: return "the operator did not include every transaction"
        case .validTransactionRefused: return "a valid transaction was refused"
        case .secp256k1ContextUnavailable: return "libsecp256k1 could not create a context"
        case .connectionsFailed(let n): return "\(n) connections failed during the benchmark"
        case .noExamples(let directory): return "no .wat examples in \(directory)"
        case .unreadable(let path): return "cannot read \(path)"
        case .dcapQVLUnavailable(let python): return "dcap-qvl did not run (is dcap-qvl installed for \(python)?)"
        case .appChain(let why): return "application chain: \(why)"
        }
    }
}
