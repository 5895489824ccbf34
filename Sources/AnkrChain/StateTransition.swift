import AnkrEVM
import AnkrPrimitives

/// The environment a transaction runs in: the EVM's own block environment, so the chain and the
/// interpreter share one definition.
public typealias BlockContext = BlockEnvironment

extension BlockEnvironment {
    /// The environment of the block `header` heads. PREVRANDAO reads the parent's hash: PoUW has no
    /// beacon randomness, and the parent's seal makes it unpredictable until mined. There are no blob
    /// transactions, so the blob base fee stays at its minimum. `ancestorHashes` serve BLOCKHASH.
    public init(header: BlockHeader, chainID: UInt64, ancestorHashes: [UInt64: H256] = [:]) {
        self.init(chainID: chainID, coinbase: header.coinbase, number: header.number, timestamp: header.timestamp,
                  gasLimit: header.gasLimit, baseFee: header.baseFeePerGas, prevRandao: header.parentHash, blobBaseFee: .one,
                  blockHashes: ancestorHashes)
    }
}

/// What including a transaction did.
public struct TransactionOutcome: Hashable, Sendable {
    public var gasUsed: UInt64
    public var succeeded: Bool
    public var logs: [Log]
    /// The price per gas actually paid: min(feeCap, baseFee + tipCap).
    public var effectiveGasPrice: UInt256
    /// The return data (a revert's reason data when it reverted).
    public var output: [UInt8] = []
    /// The contract a creation made (nil for calls and failed creations).
    public var contractAddress: Address?
    /// Whether a failure was a REVERT (its output is then the revert data) rather than an exceptional halt.
    public var reverted = false
}

/// The result of running a call without a transaction (`eth_call`, `eth_estimateGas`).
public struct CallResult: Sendable, Equatable {
    public var succeeded: Bool
    /// Whether it stopped by REVERT (its output is then the revert data), rather than an exceptional halt.
    public var reverted: Bool
    /// Why it halted exceptionally (out of gas, invalid opcode, …), when it did.
    public var failure: String?
    public var output: [UInt8]
    public var gasUsed: UInt64
    public var contractAddress: Address?
}

/// Applies one transaction to the world state (Yellow Paper §6 with EIP-1559 fees) through the EVM,
/// with the chain's system contracts answering at their addresses.
///
/// A transaction that breaks a validity rule (nonce, funds, fee cap, gas left in the block) throws
/// and changes nothing: it cannot be included. One whose code fails is included, charged its gas.
public enum StateTransition {
    /// With a `deadline` (an RPC simulation's wall-clock limit), throws ``ExecutionTimeout`` once it passes.
    /// A `tracer` observes the execution (`debug_trace*` replays).
    public static func apply(_ tx: Transaction, sender: Address, context: BlockContext, gasAvailable: UInt64,
                             state: WorldState, systemContracts: SystemContractRegistry = SystemContractRegistry(),
                             deadline: ContinuousClock.Instant? = nil, tracer: (any EVMTracer)? = nil) throws -> TransactionOutcome {
        guard tx.gasLimit <= gasAvailable else { throw ChainError.blockGasLimitReached(needed: tx.gasLimit, available: gasAvailable) }
        guard tx.feeCap >= context.baseFee else { throw ChainError.feeCapBelowBaseFee(feeCap: tx.feeCap, baseFee: context.baseFee) }
        guard try state.code(sender).isEmpty else { throw ChainError.senderHasCode(sender) }
        let expectedNonce = try state.nonce(sender)
        guard tx.nonce == expectedNonce else { throw ChainError.nonceMismatch(expected: expectedNonce, actual: tx.nonce) }
        // Decoding refuses it too; a transaction built in memory must not wrap the nonce to 0 (EIP-2681).
        guard tx.nonce < UInt64.max else { throw TransactionError.nonceTooLarge }

        // Up-front: the whole gas limit at the fee cap plus the value must be covered.
        let (gasCost, o1) = tx.feeCap.multipliedReportingOverflow(by: UInt256(tx.gasLimit))
        let (upfront, o2) = gasCost.addingReportingOverflow(tx.value)
        let balance = try state.balance(sender)
        guard !o1, !o2, balance >= upfront else {
            throw ChainError.insufficientFunds(needed: o1 || o2 ? .max : upfront, available: balance)
        }
        let intrinsic = IntrinsicGas.of(tx, fork: .cancun)
        guard let intrinsicGas = intrinsic.uint64, intrinsicGas <= tx.gasLimit else {
            throw TransactionError.intrinsicGasTooLow(required: intrinsic.uint64 ?? .max, limit: tx.gasLimit)
        }
        guard !tx.isContractCreation || tx.data.count <= IntrinsicGas.maxInitcodeSize else {
            throw TransactionError.initcodeTooLarge(size: tx.data.count, limit: IntrinsicGas.maxInitcodeSize)
        }
        let (priced, _) = context.baseFee.addingReportingOverflow(tx.tipCap)
        let effectivePrice = min(tx.feeCap, priced)
        let purchase = TransactionExecutor.Purchase(gasLimit: tx.gasLimit, price: effectivePrice, tip: effectivePrice &- context.baseFee)
        let result = try run(message(tx, sender: sender, price: effectivePrice), purchase, context: context, state: state, systemContracts: systemContracts,
                             deadline: deadline, tracer: tracer)
        if result.interrupted { throw ExecutionTimeout() }
        return TransactionOutcome(gasUsed: result.gasUsed, succeeded: result.status == .success,
                                  logs: result.logs.map { Log(address: $0.address, topics: $0.topics, data: $0.data) },
                                  effectiveGasPrice: effectivePrice, output: result.output, contractAddress: result.created,
                                  reverted: result.status == .revert)
    }

    /// Runs a call (or, with `to` nil, a creation) as `eth_call` does: no signature, no nonce or fee,
    /// on `state`, which the caller throws away. Throws only when the call cannot start (its intrinsic
    /// gas exceeds `gas`, the sender cannot pay `value`) or the database fails.
    /// With a `deadline` (an RPC server's wall-clock limit), throws ``ExecutionTimeout`` once it passes; a
    /// `tracer` observes the execution (`debug_traceCall`, `eth_createAccessList`).
    public static func call(from: Address, to: Address?, value: UInt256, input: [UInt8], gas: UInt64, accessList: [AccessListEntry] = [],
                            context: BlockContext, state: WorldState, systemContracts: SystemContractRegistry,
                            deadline: ContinuousClock.Instant? = nil, tracer: (any EVMTracer)? = nil) throws -> CallResult {
        let probe = Transaction.dynamicFee(chainID: context.chainID, nonce: 0, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero,
                                           gasLimit: gas, to: to, value: value, data: input, accessList: accessList)
        let intrinsic = IntrinsicGas.of(probe, fork: .cancun)
        guard let intrinsicGas = intrinsic.uint64, intrinsicGas <= gas else {
            throw TransactionError.intrinsicGasTooLow(required: intrinsic.uint64 ?? .max, limit: gas)
        }
        let balance = try state.balance(from)
        guard balance >= value else { throw ChainError.insufficientFunds(needed: value, available: balance) }
        let result = try run(message(probe, sender: from, price: .zero), TransactionExecutor.Purchase(gasLimit: gas, price: .zero, tip: .zero),
                             context: context, state: state, systemContracts: systemContracts, deadline: deadline, tracer: tracer)
        if result.interrupted { throw ExecutionTimeout() }
        var failure: String?
        if case .failure(let why) = result.status { failure = why }
        return CallResult(succeeded: result.status == .success, reverted: result.status == .revert, failure: failure, output: result.output,
                          gasUsed: result.gasUsed, contractAddress: result.created)
    }

    static func message(_ tx: Transaction, sender: Address, price: UInt256) -> TransactionMessage {
        TransactionMessage(sender: sender, to: tx.to, nonce: UInt256(tx.nonce), gasLimit: UInt256(tx.gasLimit), value: tx.value, data: tx.data,
                           gasPrice: price, maxFeePerGas: nil, maxPriorityFeePerGas: nil,
                           accessList: tx.accessList.map { ($0.address, $0.storageKeys.map { UInt256(bigEndian: $0.bytes) ?? .zero }) })
    }

    static func run(_ m: TransactionMessage, _ purchase: TransactionExecutor.Purchase, context: BlockContext, state: WorldState,
                    systemContracts: SystemContractRegistry, deadline: ContinuousClock.Instant? = nil,
                    tracer: (any EVMTracer)? = nil) throws -> TransactionExecutor.Outcome {
        let adapter = EVMWorldState(state)
        adapter.beginTransaction()
        // A system contract that reimburses gas (NOS) counts intrinsic gas without the access list's part: entries a
        // sender adds at will must not draw on anyone's escrow.
        var withoutAccessList = m
        withoutAccessList.accessList = []
        let dispatch = SystemContractDispatch(registry: systemContracts, state: adapter, block: context,
                                              intrinsicGas: TransactionExecutor.intrinsicGas(withoutAccessList))
        let outcome = TransactionExecutor.execute(m, purchase, state: adapter, block: context, native: dispatch, deadline: deadline,
                                                  tracer: tracer)
        if let fault = adapter.fault { throw fault }
        return outcome
    }
}

/// A call stopped by its wall-clock deadline before it finished (geth: "execution aborted (timeout = 5s)").
public struct ExecutionTimeout: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "execution aborted: the call ran past its time limit" }
}
