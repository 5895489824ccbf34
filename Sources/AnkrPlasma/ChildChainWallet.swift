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

    /// One fee exit the operator started: the sum of `transactions` fees, queued at `exitPosition`.
    public struct StartedFeeExit: Sendable {
        public var exitPosition: UInt64
        public var amount: UInt256
        public var transactions: Int
        public var exitableAt: UInt64
        public var transaction: H256
    }

    /// As the chain's operator, exits the fees of every transaction in operator blocks `blocks` (each checked against
    /// the root stored on the main chain) that pays one, is not claimed yet and whose input owners published their
    /// confirm signatures (an unconfirmed transaction's fee waits for them), in batches of
    /// ``PlasmaRoot/maxFeeExitsPerCall``, each with the bond.
    public func startFeeExits(blocks: [UInt64]) throws -> [StartedFeeExit] {
        var pending = [(position: UTXOPosition, tx: PlasmaTransaction, proof: [UInt8], confirms: [UInt8])]()
        for number in blocks {
            // A block a fraud proof rolled back has no root on the main chain any more: nothing of it exits.
            guard try root.view("getChildBlock", [.uint(UInt256(number))]).first != .fixedBytes(H256.zero.bytes) else { continue }
            let block = try verifiedBlock(number)
            let tree = block.tree()
            for (i, tx) in block.transactions.enumerated() where !tx.isDeposit && !tx.fee.isZero {
                let position = try UTXOPosition(blockNumber: number, txIndex: UInt64(i), outputIndex: 0)
                guard try root.view("feeClaimed", [.uint(UInt256(position.encoded))]).first != .bool(true),
                      let confirms = try operatorClient.transaction(tx.hash)?.confirmSignatures,
                      try isConfirmed(tx, by: confirms, blockRoot: block.merkleRoot), try !anInputExited(tx) else { continue }
                pending.append((position, tx, try tree.proof(index: i), confirms))
            }
        }
        let bond = try root.exitBond()
        var started = [StartedFeeExit]()
        var rest = pending[...]
        while !rest.isEmpty {
            let batch = rest.prefix(PlasmaRoot.maxFeeExitsPerCall)
            rest = rest.dropFirst(batch.count)
            let hash = try root.send("startFeeExit", [.array(batch.map { .uint(UInt256($0.position.encoded)) }), .array(batch.map { .bytes($0.tx.encoded) }),
                                                      .array(batch.map { .bytes($0.proof) }), .array(batch.map { .bytes($0.confirms) })], value: bond)
            guard let last = batch.last else { continue }
            let key = last.position.encoded + 2
            let exit = try root.view("getExit", [.uint(UInt256(key))])
            started.append(StartedFeeExit(exitPosition: key, amount: exit[1].uintValue ?? .zero, transactions: batch.count,
                                          exitableAt: exit[2].uintValue?.uint64 ?? 0, transaction: hash))
        }
        return started
    }

    /// Whether `confirms` holds each input owner's confirm signature of `tx` in the block with root `blockRoot` (a bad one
    /// the operator's RPC served would revert the whole batch, every run).
    private func isConfirmed(_ tx: PlasmaTransaction, by confirms: [UInt8], blockRoot: H256) throws -> Bool {
        let owners = try tx.signers().compactMap { $0 }
        guard confirms.count == 65 * owners.count else { return false }
        return owners.enumerated().allSatisfy { i, owner in
            (try? ConfirmSignature.signer(of: Array(confirms[(65 * i)..<(65 * i + 65)]), transaction: tx.hash, blockRoot: blockRoot)) == owner
        }
    }

    /// Whether an input of `tx` already exited (the root refuses that fee: it went out with the input).
    private func anInputExited(_ tx: PlasmaTransaction) throws -> Bool {
        try tx.inputs.contains { input in
            guard let p = input.position else { return false }
            return try root.view("getExit", [.uint(UInt256(p.encoded))])[3].uintValue == UInt256(PlasmaRootState.ExitStatus.finalized.rawValue)
        }
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
