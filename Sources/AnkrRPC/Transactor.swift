import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import Foundation

/// Signs EIP-1559 transactions for one account and sends them through a node's JSON-RPC.
public struct Transactor: Sendable {
    public let client: EthClient
    public let signer: PrivateKey

    /// The raw client under ``client``.
    public var rpc: RPCClient { client.rpc }

    public init(client: EthClient, signer: PrivateKey) { self.client = client; self.signer = signer }

    public init(rpc: RPCClient, signer: PrivateKey) { self.init(client: EthClient(rpc: rpc), signer: signer) }

    /// Sends a call or transfer; the gas limit is the node's estimate plus a quarter, or at least
    /// `minimumGas` (for calls whose work depends on the time they are mined, like finalizing exits).
    /// `nonce` overrides the pending nonce (a sender that must never have two of a kind mined).
    public func send(to: Address, value: UInt256 = .zero, data: [UInt8] = [], minimumGas: UInt64 = 0, nonce: UInt64? = nil) throws -> H256 {
        try client.send(try sign(to: to, value: value, data: data, minimumGas: minimumGas, nonce: nonce))
    }

    /// The signed transaction ``send(to:value:data:minimumGas:)`` would send, for a caller that
    /// delivers it another way (the asset API takes it as its request's authentication).
    public func sign(to: Address, value: UInt256 = .zero, data: [UInt8] = [], minimumGas: UInt64 = 0, nonce: UInt64? = nil) throws -> Transaction {
        var batch = try batch()
        if let nonce { batch.nonce = nonce }
        let gas = try gasLimit(EthClient.CallRequest(from: signer.address, to: to, value: value, data: data),
                               refusal: TransactorError.transactionRefused)
        return try batch.sign(to: to, value: value, data: data, gasLimit: max(gas, minimumGas))
    }

    /// The node's estimate for `call` plus a quarter (a plain transfer's 21,000 exactly).
    private func gasLimit(_ call: EthClient.CallRequest, refusal: (RPCClientError) -> TransactorError) throws -> UInt64 {
        // Read as 256 bits so an absurd estimate is reported as such rather than as a malformed reply.
        let estimate: UInt256
        do {
            estimate = try rpc.call("eth_estimateGas", [call.json]).quantity("eth_estimateGas")
        } catch let e as RPCClientError {
            // A malformed estimate is the node's fault, not a verdict on the transaction.
            if case .unexpected = e { throw e }
            throw refusal(e)
        }
        guard let gas = estimate.uint64, gas <= 30_000_000 else { throw TransactorError.gasEstimateTooLarge(estimate) }
        return gas == 21_000 ? gas : gas + gas / 4
    }

    /// Deploys `code` (initcode with its constructor arguments appended), waits until it succeeded
    /// `confirmations` blocks deep (see ``waitForSuccess(_:confirmations:seconds:resending:progress:)``)
    /// and returns the transaction hash and the new contract's address.
    public func deploy(_ code: [UInt8], value: UInt256 = .zero, confirmations: Int = 1,
                       progress: (ConfirmationProgress) -> Void = { _ in }) throws -> (hash: H256, address: Address) {
        let batch = try batch()
        let gas = try gasLimit(EthClient.CallRequest(from: signer.address, value: value, data: code),
                               refusal: TransactorError.deploymentRefused)
        let tx = try Transaction.dynamicFee(chainID: batch.chainID, nonce: batch.nonce, maxPriorityFeePerGas: batch.tip, maxFeePerGas: batch.maxFee,
                                            gasLimit: gas, to: nil, value: value, data: code).signed(with: signer)
        let hash = try client.send(tx)
        let receipt = try waitForSuccess(hash, confirmations: confirmations, resending: tx.encoded, progress: progress)
        guard let address = receipt.contractAddress else { throw TransactorError.noContractAddress(hash) }
        return (hash, address)
    }

    /// Many transactions back to back with one round of queries: nonces count up from the pending
    /// nonce, fees are read once, and the caller gives each gas limit (unused gas is not charged).
    public struct Batch: Sendable {
        public let transactor: Transactor
        let chainID: UInt64
        let tip: UInt256
        let maxFee: UInt256
        public internal(set) var nonce: UInt64

        /// Signs and sends the next transaction; the nonce advances only when the node took it.
        public mutating func send(to: Address, value: UInt256 = .zero, data: [UInt8], gasLimit: UInt64) throws -> H256 {
            let hash = try transactor.client.send(try sign(to: to, value: value, data: data, gasLimit: gasLimit))
            nonce += 1
            return hash
        }

        /// The next transaction of the batch, signed (the nonce is not consumed).
        public func sign(to: Address, value: UInt256 = .zero, data: [UInt8], gasLimit: UInt64) throws -> Transaction {
            try Transaction.dynamicFee(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee,
                                       gasLimit: gasLimit, to: to, value: value, data: data).signed(with: transactor.signer)
        }
    }

    /// Reads the chain id, the pending nonce and the fees for a ``Batch``.
    public func batch() throws -> Batch {
        let chainID = try client.chainID()
        let nonce = try client.nonce(of: signer.address)
        let tip = try client.maxPriorityFee()
        guard let baseFee = try client.block(number: .latest)?.baseFeePerGas else { throw TransactorError.noBaseFee }
        // Twice the base fee: room for it to rise while the batch is mined (saturating: the node's values are not trusted).
        let (doubled, o1) = baseFee.addingReportingOverflow(baseFee)
        let (maxFee, o2) = doubled.addingReportingOverflow(tip)
        return Batch(transactor: self, chainID: chainID, tip: tip, maxFee: o1 || o2 ? .max : maxFee, nonce: nonce)
    }

    /// Waits until `hash` is `confirmations` blocks deep on the node's canonical chain, following it
    /// across reorganisations and handing `raw` (its signed encoding) back to a node that lost it (see
    /// ``ConfirmationWaiter``); `seconds` is the allowance for the first confirmation. Throws
    /// ``TransactorError/failed(_:block:)`` when the confirmed transaction failed.
    @discardableResult
    public func waitForSuccess(_ hash: H256, confirmations: Int = 1, seconds: Double = 120, resending raw: [UInt8]? = nil,
                               progress: (ConfirmationProgress) -> Void = { _ in }) throws -> EthClient.Receipt {
        let waiter = try ConfirmationWaiter(confirmations: confirmations, seconds: seconds)
        let receipt = try waiter.wait(for: hash, on: client, resending: raw, progress: progress)
        guard receipt.succeeded else { throw TransactorError.failed(hash, block: receipt.blockNumber) }
        return receipt
    }
}
