import AnkrCrypto
import AnkrPrimitives
import Foundation

/// One owner's wallet on one child chain: pays through the operator (checking every block it relies
/// on against the root on the main chain, confirming only then), and exits outputs to the main chain.
/// `ankr plasma send|exit|bridge` are built on it.
public struct ChildChainWallet: Sendable {
    public let key: PrivateKey
    public let chain: UInt64
    public let operatorClient: OperatorClient
    /// The child chain's PlasmaRoot; needs a transactor to exit.
    public let root: RootContractClient

    public init(key: PrivateKey, chain: UInt64, operatorClient: OperatorClient, root: RootContractClient) {
        self.key = key; self.chain = chain; self.operatorClient = operatorClient; self.root = root
    }

    /// Why a payment or an exit could not be made.
    public enum Failure: Error, CustomStringConvertible {
        /// The amount is zero, or amount + fee does not fit 256 bits.
        case invalidAmount
        /// No one output and no two outputs of the owner cover amount + fee.
        case insufficientOutputs(owner: Address, outputs: Int, chain: UInt64, needed: UInt256)
        /// The operator refused the signed transaction.
        case refusedByOperator(any Error)
        /// The transaction was not in a submitted block within the wait.
        case notSubmitted(H256, seconds: Int)
        /// The operator reported the transaction submitted but named no place for it.
        case transactionLost(H256)
        /// The verified block does not hold the transaction where the operator said.
        case notInBlock(H256, block: UInt64, index: Int)
        /// The verified block has no transaction at that index.
        case noSuchTransaction(block: UInt64, index: UInt64)
        /// The output belongs to someone else.
        case notYourOutput(UTXOPosition)
        /// Another owner's transaction created the output and its confirm signatures are not published.
        case confirmSignaturesMissing(H256)

        public var description: String {
            switch self {
            case .invalidAmount: return "the amount must be positive and amount + fee must fit 256 bits"
            case .insufficientOutputs(let owner, let count, let chain, let needed):
                return "\(owner.checksummed) has \(count) outputs on chain \(chain); no two of them cover \(needed) wei"
            case .refusedByOperator(let e): return "the operator refused the transaction: \(e)"
            case .notSubmitted(let hash, let seconds): return "transaction \(hash) was not in a submitted block after \(seconds) s"
            case .transactionLost(let hash): return "the operator lost \(hash)"
            case .notInBlock(let hash, let block, let index): return "block \(block) does not hold \(hash) at \(index)"
            case .noSuchTransaction(let block, let index): return "block \(block) has no transaction \(index)"
            case .notYourOutput(let position): return "output \(position) is not yours"
            case .confirmSignaturesMissing(let hash): return "the sender has not published confirm signatures for \(hash); ask them to confirm it"
            }
        }
    }

    /// Block `number` as the operator serves it, checked against the root stored on the main chain.
    public func verifiedBlock(_ number: UInt64) throws -> ChildBlock { try operatorClient.verifiedBlock(number, against: root) }

    /// The owner's spendable outputs and their sum.
    public func balance() throws -> UInt256 { try operatorClient.balance(key.address) }

    /// A payment the operator accepted; `block`, `txIndex` and `outputs` once it is in a submitted
    /// block and confirmed.
    public struct Payment: Sendable {
        public var hash: H256
        public var inputs: [UTXOPosition]
        public var outputs: [PlasmaTransaction.Output]
        public var block: UInt64?
        public var txIndex: Int?

        /// Output `k`'s position, once placed.
        public func position(ofOutput k: Int) throws -> UTXOPosition? {
            guard let block, let txIndex else { return nil }
            return try UTXOPosition(blockNumber: block, txIndex: UInt64(txIndex), outputIndex: UInt64(k))
        }
    }

    /// Pays `amount` to `recipient` plus `fee` to the operator from one output that covers it (the
    /// smallest such) or the two largest; change comes back as the second output. With `wait`, waits
    /// (up to `timeout`) for the block to reach the main chain, checks it, and confirms.
    public func pay(_ recipient: Address, amount: UInt256, fee: UInt256 = .zero, wait: Bool = true, timeout: TimeInterval = 120) throws -> Payment {
        let (need, overflow) = amount.addingReportingOverflow(fee)
        guard !overflow, !amount.isZero else { throw Failure.invalidAmount }
        let utxos = try operatorClient.utxos(key.address)
        let inputs: [(position: UTXOPosition, amount: UInt256)]
        if let one = utxos.filter({ $0.amount >= need }).min(by: { $0.amount < $1.amount }) {
            inputs = [one]
        } else {
            let two = Array(utxos.sorted { $0.amount > $1.amount }.prefix(2))
            let (sum, o) = two.count == 2 ? two[0].amount.addingReportingOverflow(two[1].amount) : (two.first?.amount ?? .zero, false)
            guard !o, sum >= need else { throw Failure.insufficientOutputs(owner: key.address, outputs: utxos.count, chain: chain, needed: need) }
            inputs = two
        }
        var total = UInt256.zero
        for i in inputs { total = total &+ i.amount }
        var outputs = [PlasmaTransaction.Output(owner: recipient, amount: amount)]
        if total > need { outputs.append(.init(owner: key.address, amount: total &- need)) }
        var tx = try PlasmaTransaction(inputs: inputs.map { .init($0.position) }, outputs: outputs, fee: fee)
        for i in inputs.indices { try tx.sign(input: i, with: key) }
        let hash: H256
        do { hash = try operatorClient.send(tx) } catch { throw Failure.refusedByOperator(error) }
        var payment = Payment(hash: hash, inputs: inputs.map(\.position), outputs: outputs)
        guard wait else { return payment }
        let deadline = Date().addingTimeInterval(timeout)
        var placed = try operatorClient.transaction(hash)
        while placed?.blockNumber == nil || placed?.submitted != true {
            guard Date() < deadline else { throw Failure.notSubmitted(hash, seconds: Int(timeout)) }
            Thread.sleep(forTimeInterval: 0.2)
            placed = try operatorClient.transaction(hash)
        }
        guard let number = placed?.blockNumber, let index = placed?.txIndex else { throw Failure.transactionLost(hash) }
        let block = try verifiedBlock(number)
        guard index < block.transactions.count, block.transactions[index].hash == hash else { throw Failure.notInBlock(hash, block: number, index: index) }
        // Confirm only now: the block is on the main chain and its data is available.
        var sigs = [UInt8]()
        for _ in inputs { sigs += try ConfirmSignature.sign(transaction: hash, blockRoot: block.merkleRoot, with: key) }
        try operatorClient.confirm(hash, signatures: sigs)
        payment.block = number
        payment.txIndex = index
        return payment
    }

    /// An exit the root contract queued.
    public struct StartedExit: Sendable {
        public var position: UTXOPosition
        public var amount: UInt256
        public var exitableAt: UInt64
        public var transaction: H256
    }

    /// Starts the exit of the owner's output at `position` with the bond: the transaction proven
    /// against the stored root, with its inputs' confirm signatures (published, or the owner's own).
    public func startExit(_ position: UTXOPosition) throws -> StartedExit {
        let block = try verifiedBlock(position.blockNumber)
        guard position.txIndex < block.transactions.count else { throw Failure.noSuchTransaction(block: position.blockNumber, index: position.txIndex) }
        let tx = block.transactions[Int(position.txIndex)]
        guard tx.outputs[Int(position.outputIndex)].owner == key.address else { throw Failure.notYourOutput(position) }
        var confirms = [UInt8]()
        if !tx.isDeposit {
            if let known = try operatorClient.transaction(tx.hash)?.confirmSignatures {
                confirms = known
            } else if try tx.signers().allSatisfy({ $0 == nil || $0 == key.address }) {
                for s in try tx.signers() where s != nil { confirms += try ConfirmSignature.sign(transaction: tx.hash, blockRoot: block.merkleRoot, with: key) }
            } else {
                throw Failure.confirmSignaturesMissing(tx.hash)
            }
        }
        let hash = try root.send("startExit", [.uint(UInt256(position.encoded)), .bytes(tx.encoded),
                                              .bytes(try block.tree().proof(index: Int(position.txIndex))), .bytes(confirms)],
                                 value: try root.exitBond())
        let exit = try root.view("getExit", [.uint(UInt256(position.encoded))])
        return StartedExit(position: position, amount: exit[1].uintValue ?? .zero, exitableAt: exit[2].uintValue?.uint64 ?? 0, transaction: hash)
    }
}
