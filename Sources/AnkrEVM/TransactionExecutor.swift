import AnkrPrimitives

/// A transaction as the EVM applies it (already signed and its sender recovered).
public struct TransactionMessage: Sendable {
    public var sender: Address
    public var to: Address?
    public var nonce: UInt256
    public var gasLimit: UInt256
    public var value: UInt256
    public var data: [UInt8]
    /// Legacy and EIP-2930 transactions.
    public var gasPrice: UInt256?
    /// EIP-1559 transactions.
    public var maxFeePerGas: UInt256?
    public var maxPriorityFeePerGas: UInt256?
    public var accessList: [(Address, [UInt256])]
    public var blobHashes: [H256]
    /// EIP-4844 (type 3) transactions only: what the sender pays at most per unit of blob gas.
    public var maxFeePerBlobGas: UInt256?

    public init(sender: Address, to: Address?, nonce: UInt256, gasLimit: UInt256, value: UInt256, data: [UInt8], gasPrice: UInt256?,
                maxFeePerGas: UInt256?, maxPriorityFeePerGas: UInt256?, accessList: [(Address, [UInt256])], blobHashes: [H256] = [],
                maxFeePerBlobGas: UInt256? = nil) {
        self.sender = sender; self.to = to; self.nonce = nonce; self.gasLimit = gasLimit; self.value = value; self.data = data
        self.gasPrice = gasPrice; self.maxFeePerGas = maxFeePerGas; self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.accessList = accessList; self.blobHashes = blobHashes; self.maxFeePerBlobGas = maxFeePerBlobGas
    }
}

/// Applies one transaction to an ``EVMState`` under Cancun's rules: validity checks, intrinsic gas
/// (EIP-2028 calldata, EIP-2930 access lists, EIP-3860 initcode), fees (EIP-1559), warm sets
/// (EIP-2929, EIP-3651), refunds capped at a fifth (EIP-3529), and EIP-161 cleanup of touched empty accounts.
public enum TransactionExecutor {
    public struct Outcome: Sendable {
        public let status: FrameResult.Status
        public let gasUsed: UInt64
        public let output: [UInt8]
        public let logs: [EVMLog]
        public let created: Address?
        /// Whether the deadline given to ``execute`` passed: the outcome is then not the transaction's.
        public var interrupted = false
    }

    public static func intrinsicGas(_ m: TransactionMessage) -> UInt64 {
        var gas: UInt64 = m.to == nil ? 53_000 : 21_000
        for b in m.data { gas += b == 0 ? 4 : 16 }
        if m.to == nil { gas += 2 * UInt64((m.data.count + 31) / 32) }
        for (_, keys) in m.accessList { gas += 2_400 + 1_900 * UInt64(keys.count) }
        return gas
    }

    /// The gas a valid transaction buys and at what price: `price` is what each unit costs the
    /// sender, `tip` the part of it the coinbase earns.
    public struct Purchase: Sendable {
        public let gasLimit: UInt64
        public let price: UInt256
        public let tip: UInt256
        /// EIP-4844: blob gas × the blob base fee, burned whatever the outcome.
        public let blobFee: UInt256

        public init(gasLimit: UInt64, price: UInt256, tip: UInt256, blobFee: UInt256 = .zero) {
            self.gasLimit = gasLimit; self.price = price; self.tip = tip; self.blobFee = blobFee
        }
    }

    /// EIP-4844: blob gas per blob, and at most six blobs in a Cancun block (so in a transaction).
    public static let gasPerBlob: UInt64 = 131_072
    public static let maxBlobsPerBlock = 6

    /// The blob base fee for a block's excess blob gas: fake_exponential(1, excess, 3338477) of EIP-4844.
    /// Past 120 × the update fraction the fee is above 10^52 wei (no balance can pay it) and the series
    /// would outgrow 256 bits, so it is capped at the maximum.
    public static func blobBaseFee(excessBlobGas: UInt64) -> UInt256 {
        guard excessBlobGas <= 120 * 3_338_477 else { return .max }
        let denominator = UInt256(3_338_477), numerator = UInt256(excessBlobGas)
        var output = UInt256.zero, accumulator = denominator  // factor 1 × denominator
        var i: UInt64 = 1
        while !accumulator.isZero {
            output = output &+ accumulator
            // With excess ≤ 120 × denominator, accumulator × excess stays below 2^230.
            accumulator = (accumulator &* numerator) / (denominator &* UInt256(i))
            i += 1
        }
        return output / denominator
    }

    /// Validates and applies a transaction; throws ``Invalid`` (state unchanged) when it cannot be included.
    public static func apply(_ m: TransactionMessage, state: EVMState, block: BlockEnvironment, native: NativeContracts? = nil,
                             tracer: (any EVMTracer)? = nil) throws -> Outcome {
        let purchase = try validate(m, state: state, block: block)
        return execute(m, purchase, state: state, block: block, native: native, tracer: tracer)
    }

    /// Cancun's validity rules, in the order the state tests expect their errors.
    public static func validate(_ m: TransactionMessage, state: EVMState, block: BlockEnvironment) throws -> Purchase {
        guard let gasLimit = m.gasLimit.uint64 else { throw Invalid.gasLimitAbove64Bits }
        guard let nonce = m.nonce.uint64, nonce < UInt64.max else { throw Invalid.nonceAtMaximum }
        guard gasLimit <= block.gasLimit else { throw Invalid.gasLimitAboveBlock }
        let maxFee = m.maxFeePerGas ?? m.gasPrice ?? .zero
        let tipCap = m.maxPriorityFeePerGas ?? m.gasPrice ?? .zero
        guard tipCap <= maxFee else { throw Invalid.priorityFeeAboveMaxFee }
        guard maxFee >= block.baseFee else { throw Invalid.maxFeeBelowBaseFee }
        let sender = state.account(m.sender) ?? EVMAccount()
        guard sender.code.isEmpty else { throw Invalid.senderHasCode }
        guard sender.nonce == nonce else { throw Invalid.nonceMismatch(transaction: nonce, account: sender.nonce) }
        var blobGas = UInt256.zero, maxBlobCost = UInt256.zero
        if let maxFeePerBlobGas = m.maxFeePerBlobGas {
            guard m.to != nil else { throw Invalid.blobTransactionCreates }
            guard !m.blobHashes.isEmpty, m.blobHashes.count <= maxBlobsPerBlock else { throw Invalid.blobCount(max: maxBlobsPerBlock) }
            guard m.blobHashes.allSatisfy({ $0.bytes.first == 0x01 }) else { throw Invalid.blobHashVersion }
            guard maxFeePerBlobGas >= block.blobBaseFee else { throw Invalid.blobFeeBelowBlobBaseFee }
            blobGas = UInt256(UInt64(m.blobHashes.count) * gasPerBlob)
            maxBlobCost = blobGas &* maxFeePerBlobGas  // ≤ 786,432 × 2^256: checked below
            guard maxBlobCost / blobGas == maxFeePerBlobGas else { throw Invalid.insufficientFundsForBlobGas }
        }
        let (maxCost, o1) = UInt256(gasLimit).multipliedReportingOverflow(by: maxFee)
        let (withValue, o2) = maxCost.addingReportingOverflow(m.value)
        let (total, o3) = withValue.addingReportingOverflow(maxBlobCost)
        guard !o1, !o2, !o3, sender.balance >= total else { throw Invalid.insufficientFunds }
        guard gasLimit >= intrinsicGas(m) else { throw Invalid.intrinsicGasTooLow }
        if m.to == nil, m.data.count > EVM.maxInitcodeSize { throw Invalid.initcodeTooLarge }
        let tip = min(tipCap, maxFee &- block.baseFee)
        return Purchase(gasLimit: gasLimit, price: block.baseFee &+ tip, tip: tip, blobFee: blobGas &* block.blobBaseFee)
    }

    /// Applies a transaction already found valid: buys the gas, runs the call or creation, refunds,
    /// pays the coinbase its tip and removes self-destructed and touched empty accounts.
    public static func execute(_ m: TransactionMessage, _ purchase: Purchase, state: EVMState, block: BlockEnvironment,
                               native: NativeContracts? = nil, deadline: ContinuousClock.Instant? = nil, tracer: (any EVMTracer)? = nil) -> Outcome {
        let gasLimit = purchase.gasLimit, price = purchase.price, tip = purchase.tip
        var sender = state.account(m.sender) ?? EVMAccount()
        sender.balance = sender.balance &- UInt256(gasLimit) &* price &- purchase.blobFee
        sender.nonce &+= 1
        state.setAccount(m.sender, sender)

        let evm = EVM(state: state, block: block, tx: TransactionEnvironment(origin: m.sender, gasPrice: price, blobHashes: m.blobHashes), native: native,
                      deadline: deadline, tracer: tracer)
        evm.warm(m.sender)
        evm.warm(block.coinbase)
        for p in Precompiles.addresses { evm.warm(p) }
        for (a, keys) in m.accessList {
            evm.warm(a)
            for k in keys { evm.warm(a, slot: k) }
        }
        let gas = gasLimit - intrinsicGas(m)
        let result: FrameResult
        if let to = m.to {
            evm.warm(to)
            result = evm.call(EVM.Message(caller: m.sender, codeAddress: to, target: to, value: m.value, transfersValue: true, input: m.data,
                                          gas: gas, isStatic: false, depth: 0))
        } else {
            result = evm.create(caller: m.sender, value: m.value, initcode: m.data, gas: gas, salt: nil, depth: 0, raiseNonce: false)
        }
        var used = gasLimit - result.gasLeft
        if result.succeeded {
            let refund = UInt64(max(0, evm.refund))
            used -= min(refund, used / 5)
        }
        var payer = state.account(m.sender) ?? EVMAccount()
        payer.balance = payer.balance &+ UInt256(gasLimit - used) &* price
        state.setAccount(m.sender, payer)
        evm.addBalance(block.coinbase, UInt256(used) &* tip)

        if result.succeeded { for a in evm.selfDestructed { state.destroy(a) } }
        for a in evm.touched where state.account(a)?.isEmpty == true { state.destroy(a) }
        // A creation's output is the code it deployed (what eth_call of a creation answers).
        let output = result.created.map { state.account($0)?.code ?? [] } ?? result.output
        return Outcome(status: result.status, gasUsed: used, output: output, logs: result.succeeded ? evm.logs : [], created: result.created,
                       interrupted: evm.interrupted)
    }

    /// keccak256(RLP[[address, [topics], data], …]) as state tests compare it.
    public static func logsHash(_ logs: [EVMLog]) -> H256 {
        Keccak256.h256(RLP.encode(.list(logs.map { .list([.bytes($0.address.bytes), .list($0.topics.map { .bytes($0.bytes) }), .bytes($0.data)]) })))
    }
}
