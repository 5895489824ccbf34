import AnkrCrypto
import AnkrPrimitives

extension Transaction {
    /// The 0/1 recovery id encoded in `v`.
    public var recoveryID: UInt8? {
        switch type {
        case .accessList, .dynamicFee:
            return v.uint64.flatMap { $0 <= 1 ? UInt8($0) : nil }
        case .legacy:
            if let id = chainID {
                let base = UInt256(id).multipliedReportingOverflow(by: UInt256(2)).partialValue &+ UInt256(35)
                if v == base { return 0 }
                if v == base &+ .one { return 1 }
                return nil
            }
            if v == UInt256(27) { return 0 }
            if v == UInt256(28) { return 1 }
            return nil
        }
    }

    /// Signs with `key`, filling v, r and s. Legacy transactions with a chain id get EIP-155 v values.
    public func signed(with key: PrivateKey) throws -> Transaction {
        let sig = try key.sign(hash: signingHash)
        var tx = self
        tx.r = sig.rValue
        tx.s = sig.sValue
        switch type {
        case .legacy:
            if let id = chainID {
                tx.v = UInt256(id).multipliedReportingOverflow(by: UInt256(2)).partialValue &+ UInt256(35 + UInt64(sig.recoveryID))
            } else {
                tx.v = UInt256(27 + UInt64(sig.recoveryID))
            }
        case .accessList, .dynamicFee:
            tx.v = UInt256(UInt64(sig.recoveryID))
        }
        return tx
    }

    /// Recovers the sender. Enforces 0 < r, s < n and low-s (EIP-2).
    public func recoverSender() throws -> Address {
        guard let id = recoveryID else { throw TransactionError.invalidV(v) }
        do {
            let sig = try Signature(r: r, s: s, recoveryID: id)
            return try sig.recoverAddress(hash: signingHash)
        } catch let e as CryptoError {
            throw TransactionError.invalidSignature(e)
        }
    }

    /// Everything a node checks before a transaction may enter a block, short of account state:
    /// chain id (EIP-155 / typed), fee relations, the fee-times-gas overflow, intrinsic gas, the
    /// EIP-3860 initcode limit and the signature. Returns the sender.
    ///
    /// - Parameter allowUnprotected: accept legacy transactions signed without a chain id.
    @discardableResult
    public func validate(chainID expected: UInt64, fork: Fork = .cancun, allowUnprotected: Bool = true) throws -> Address {
        if chainID != expected && !(chainID == nil && allowUnprotected && type == .legacy) {
            throw TransactionError.wrongChainID(expected: expected, actual: chainID)
        }
        if type == .dynamicFee && maxPriorityFeePerGas > maxFeePerGas { throw TransactionError.priorityFeeAboveMaxFee }
        if feeCap.multipliedReportingOverflow(by: UInt256(gasLimit)).overflow { throw TransactionError.gasPriceTimesLimitOverflow }
        if fork >= .shanghai && isContractCreation && data.count > IntrinsicGas.maxInitcodeSize {
            throw TransactionError.initcodeTooLarge(size: data.count, limit: IntrinsicGas.maxInitcodeSize)
        }
        let intrinsic = IntrinsicGas.of(self, fork: fork)
        guard intrinsic <= UInt256(gasLimit) else {
            throw TransactionError.intrinsicGasTooLow(required: intrinsic.uint64 ?? .max, limit: gasLimit)
        }
        return try recoverSender()
    }
}
