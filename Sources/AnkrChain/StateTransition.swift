import AnkrPrimitives

/// The environment a transaction runs in.
public struct BlockContext: Hashable, Sendable {
    public var chainID: UInt64
    public var coinbase: Address
    public var number: UInt64
    public var timestamp: UInt64
    public var gasLimit: UInt64
    public var baseFee: UInt256

    public init(chainID: UInt64, coinbase: Address, number: UInt64, timestamp: UInt64, gasLimit: UInt64, baseFee: UInt256) {
        self.chainID = chainID; self.coinbase = coinbase; self.number = number; self.timestamp = timestamp
        self.gasLimit = gasLimit; self.baseFee = baseFee
    }

    public init(header: BlockHeader, chainID: UInt64) {
        self.init(chainID: chainID, coinbase: header.coinbase, number: header.number, timestamp: header.timestamp,
                  gasLimit: header.gasLimit, baseFee: header.baseFeePerGas)
    }
}

/// What including a transaction did.
public struct TransactionOutcome: Hashable, Sendable {
    public var gasUsed: UInt64
    public var succeeded: Bool
    public var logs: [Log]
    /// The price per gas actually paid: min(feeCap, baseFee + tipCap).
    public var effectiveGasPrice: UInt256
}

/// Applies one transaction to the world state (Yellow Paper §6 with EIP-1559 fees).
///
/// A transaction that breaks a validity rule (nonce, funds, fee cap, gas left in the block) throws
/// and changes nothing: it cannot be included. Value transfers between accounts are complete here;
/// running contract code needs the EVM and is refused with ``ChainError/needsEVM(_:)`` until it lands.
public enum StateTransition {
    public static func apply(_ tx: Transaction, sender: Address, context: BlockContext, gasAvailable: UInt64,
                             state: WorldState, systemContracts: SystemContractRegistry = SystemContractRegistry()) throws -> TransactionOutcome {
        guard tx.gasLimit <= gasAvailable else { throw ChainError.blockGasLimitReached(needed: tx.gasLimit, available: gasAvailable) }
        guard tx.feeCap >= context.baseFee else { throw ChainError.feeCapBelowBaseFee(feeCap: tx.feeCap, baseFee: context.baseFee) }
        guard try state.code(sender).isEmpty else { throw ChainError.senderHasCode(sender) }
        let expectedNonce = try state.nonce(sender)
        guard tx.nonce == expectedNonce else { throw ChainError.nonceMismatch(expected: expectedNonce, actual: tx.nonce) }

        // Up-front: the whole gas limit at the fee cap plus the value must be covered.
        let (gasCost, o1) = tx.feeCap.multipliedReportingOverflow(by: UInt256(tx.gasLimit))
        let (upfront, o2) = gasCost.addingReportingOverflow(tx.value)
        let balance = try state.balance(sender)
        guard !o1, !o2, balance >= upfront else {
            throw ChainError.insufficientFunds(needed: o1 || o2 ? .max : upfront, available: balance)
        }
        guard let to = tx.to else { throw ChainError.needsEVM("contract creation") }
        let contract = systemContracts.contract(at: to)
        guard try contract != nil || state.code(to).isEmpty else { throw ChainError.needsEVM("calling contract \(to)") }

        let intrinsic = IntrinsicGas.of(tx, fork: .cancun)
        guard let intrinsicGas = intrinsic.uint64, intrinsicGas <= tx.gasLimit else {
            throw TransactionError.intrinsicGasTooLow(required: intrinsic.uint64 ?? .max, limit: tx.gasLimit)
        }
        let (priced, _) = context.baseFee.addingReportingOverflow(tx.tipCap)
        let effectivePrice = min(tx.feeCap, priced)

        try state.setNonce(sender, tx.nonce + 1)
        var gasUsed = intrinsicGas
        var succeeded = true
        var logs = [Log]()
        if let contract {
            // The value moves first, as in a call; a failure undoes it with the rest of the call.
            let mark = state.snapshot()
            do {
                try state.subtractBalance(sender, tx.value)
                try state.addBalance(to, tx.value)
                let call = SystemCall(address: to, caller: sender, value: tx.value, input: tx.data, gasAvailable: tx.gasLimit - intrinsicGas, block: context)
                let result = try contract.call(call, state: state)
                guard result.gasUsed <= call.gasAvailable else { throw SystemCallError.outOfGas }
                gasUsed += result.gasUsed
                logs = result.logs
            } catch {
                state.revert(to: mark)
                succeeded = false
                if case SystemCallError.reverted(_, let used) = error {
                    gasUsed += min(used, tx.gasLimit - intrinsicGas)
                } else {
                    gasUsed = tx.gasLimit
                }
            }
        } else {
            try state.subtractBalance(sender, tx.value)
            try state.addBalance(to, tx.value)
        }
        // gasUsed · price ≤ gasLimit · feeCap, which was checked not to overflow.
        try state.subtractBalance(sender, UInt256(gasUsed) &* effectivePrice)
        // The base fee part is burned; the tip goes to the coinbase.
        let tip = UInt256(gasUsed) &* (effectivePrice &- context.baseFee)
        if tip.isZero { state.touch(context.coinbase) } else { try state.addBalance(context.coinbase, tip) }
        return TransactionOutcome(gasUsed: gasUsed, succeeded: succeeded, logs: logs, effectiveGasPrice: effectivePrice)
    }
}
