import AnkrChain
import AnkrPrimitives
import AnkrRPC

extension DevAccountNamespace {
    /// Completes `args` into an unsigned transaction as geth's `setDefaults` does, on the current head:
    /// - type: the one given; else legacy when `gasPrice` is given (EIP-2930 when an access list is given too,
    ///   where geth would drop the list), else EIP-1559;
    /// - fees: the suggested tip (`eth_maxPriorityFeePerGas`) and a fee cap of twice the head's base fee plus the
    ///   tip; a legacy price defaults to `eth_gasPrice`;
    /// - nonce: the account's next one counting the pool (`from` absent: the zero address's);
    /// - gas: `eth_estimateGas` of the call on the head, under the node's EVM time limit;
    /// - chain id: the node's (a different one given is refused); value 0, input empty.
    func fill(_ args: TransactionArguments) throws -> Transaction {
        let head = chain.head
        let chainID = chain.chainID
        if let have = args.chainID, have != UInt256(chainID) { throw DevAccountError.chainIDMismatch(have: have, want: chainID).rpc }
        let type = args.type ?? (args.gasPrice == nil ? .dynamicFee : (args.accessList == nil ? .legacy : .accessList))
        let dynamicFeesGiven = args.maxFeePerGas != nil || args.maxPriorityFeePerGas != nil
        if args.gasPrice != nil && dynamicFeesGiven { throw DevAccountError.gasPriceWithDynamicFees.rpc }
        var transaction: Transaction
        switch type {
        case .legacy, .accessList:
            if dynamicFeesGiven { throw DevAccountError.feesDoNotMatchType(type).rpc }
            let price = try args.gasPrice ?? legacyGasPrice(head: head)
            if price.isZero { throw DevAccountError.zeroGasPrice.rpc }
            transaction = type == .legacy
                ? .legacy(chainID: chainID, nonce: 0, gasPrice: price, gasLimit: 0, to: args.to, value: .zero)
                : .accessList(chainID: chainID, nonce: 0, gasPrice: price, gasLimit: 0, to: args.to, value: .zero)
        case .dynamicFee:
            if args.gasPrice != nil { throw DevAccountError.feesDoNotMatchType(.dynamicFee).rpc }
            let (maxFee, tip) = try dynamicFees(args, head: head)
            transaction = .dynamicFee(chainID: chainID, nonce: 0, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee, gasLimit: 0,
                                      to: args.to, value: .zero)
        }
        transaction.value = args.value ?? .zero
        transaction.data = args.input ?? []
        transaction.accessList = args.accessList ?? []
        if args.to == nil && transaction.data.isEmpty { throw DevAccountError.creationWithoutData.rpc }
        transaction.nonce = try args.nonce ?? eth.pendingNonce(args.from ?? .zero)
        transaction.gasLimit = try args.gas ?? estimateGas(args, transaction: transaction, head: head)
        return transaction
    }

    /// The EIP-1559 caps: both given are checked as given (geth takes them without defaults); otherwise the
    /// missing tip is the suggested one and the missing cap twice the head's base fee plus the tip.
    func dynamicFees(_ args: TransactionArguments, head: BlockHeader) throws -> (maxFee: UInt256, tip: UInt256) {
        if let maxFee = args.maxFeePerGas, maxFee.isZero, args.maxPriorityFeePerGas != nil { throw DevAccountError.zeroMaxFee.rpc }
        let tip = try args.maxPriorityFeePerGas ?? eth.suggestedTip()
        let maxFee: UInt256
        if let given = args.maxFeePerGas {
            maxFee = given
        } else {
            let doubled = head.baseFeePerGas.multipliedReportingOverflow(by: UInt256(2))
            let sum = doubled.partialValue.addingReportingOverflow(tip)
            guard !doubled.overflow, !sum.overflow else { throw DevAccountError.feeOverflow.rpc }
            maxFee = sum.partialValue
        }
        if maxFee < tip { throw DevAccountError.maxFeeBelowPriorityFee(maxFee: maxFee, priorityFee: tip).rpc }
        return (maxFee, tip)
    }

    /// `eth_gasPrice`: the next block's base fee plus the suggested tip.
    func legacyGasPrice(head: BlockHeader) throws -> UInt256 {
        let (sum, overflow) = BaseFee.next(after: head).addingReportingOverflow(try eth.suggestedTip())
        guard !overflow else { throw DevAccountError.feeOverflow.rpc }
        return sum
    }

    /// `eth_estimateGas` of the transaction being filled, as a call from `from` on `head`.
    func estimateGas(_ args: TransactionArguments, transaction: Transaction, head: BlockHeader) throws -> UInt64 {
        var call: [String: JSON] = ["from": .string((args.from ?? .zero).checksummed), "value": RPCFormat.q(transaction.value),
                                    "input": RPCFormat.data(transaction.data)]
        if let to = transaction.to { call["to"] = .string(to.checksummed) }
        if !transaction.accessList.isEmpty {
            call["accessList"] = .array(transaction.accessList.map {
                ["address": .string($0.address.checksummed), "storageKeys": .array($0.storageKeys.map { .string($0.description) })]
            })
        }
        return try eth.timed { try eth.estimateGas(call, at: head, deadline: $0) }
    }
}
