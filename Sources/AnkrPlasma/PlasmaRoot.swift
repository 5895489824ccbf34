import AnkrChain
import AnkrPrimitives
import AnkrTrie

/// The PlasmaRoot of every child chain (the white paper's root contract), answering at each chain's
/// address `0x…0b<id>` with that chain's own storage (``PlasmaRootState``).
///
/// - `submitBlock(root)`: the operator only, strictly in order; stores the root, the header hash
///   keccak256(root ‖ previous operator header) and the time; child blocks are numbered 1000, 2000, …
/// - `deposit()`: a deposit block (numbered between operator blocks) holding one deposit transaction.
/// - `startExit(utxoPos, tx, proof, confirmSignatures)` with the exit bond: the output's owner only,
///   the transaction proven in its block, each input's owner confirming it, at most one exit per output.
///   The exit matures at max(block time + age cap, now + challenge period) (see ``exitableAt(blockTime:now:)``).
/// - `challengeExit(utxoPos, spendPos, spendTx, proof, confirmSignature)`: a later transaction spending
///   the exiting output, proven in its block and confirmed by the exit's owner, cancels the exit
///   wherever it sits in the queue; its bond goes to the challenger.
/// - `finalizeExit()`: anyone; pops up to 16 matured exits per call, in priority order, and pays each
///   from what the root holds beyond the stake and what it already owes. An exit the root cannot cover
///   stays at the head (only fraud makes a root insolvent, and every exit behind it ranks lower); an
///   exit whose block a fraud proof rolled back is cancelled there and its bond returned.
/// - `startFeeExit(txPositions, txs, proofs, confirmSignatures)` with the exit bond: the operator only; exits the fees of
///   up to 32 transactions of its blocks (the operator's pay, Plasma's fee field), each proven and confirmed by its
///   input owners like an output's exit, each claimed once. See ``startFeeExit(_:_:_:_:)``.
/// - `withdraw()`: pull payments of finalized exits and won bonds.
/// - `proveInvalidTransaction(…)` / `proveDoubleSpend(…)`: fraud proofs (see `PlasmaRoot+FraudProof.swift`);
///   a valid one slashes the stake to the prover and rolls the chain back to the last valid block.
public struct PlasmaRoot: SystemContract {
    public let rules: PlasmaRules
    /// Family base: chain 0 does not exist; ``handles(_:)`` accepts every chain's address.
    public var address: Address { ChildChainRegistry.rootAddress(0) }
    public var name: String { "PlasmaRoot" }
    public var interface: ContractInterface { Self.interface }
    /// Exits `finalizeExit` pops per call, paid or cancelled, so its gas is bounded whatever the queue holds.
    public static let maxFinalizedPerCall = 16

    public init(rules: PlasmaRules) { self.rules = rules }

    public func handles(_ address: Address) -> Bool { ChildChainRegistry.chainID(ofRoot: address) != nil }

    private typealias P = ContractInterface.Parameter
    public static let interface = ContractInterface(
        functions: [
            .init("submitBlock", [P("root", .fixedBytes(32))], returns: [P("blockNumber", .uint(bits: 256))]),
            .init("deposit", [], returns: [P("blockNumber", .uint(bits: 256))], .payable),
            .init("startExit", [P("utxoPos", .uint(bits: 256)), P("txBytes", .bytes), P("proof", .bytes), P("confirmSignatures", .bytes)], .payable),
            .init("challengeExit", [P("utxoPos", .uint(bits: 256)), P("spendPos", .uint(bits: 256)), P("spendTxBytes", .bytes), P("proof", .bytes),
                                    P("confirmSignature", .bytes)]),
            .init("startFeeExit", [P("txPositions", .array(.uint(bits: 256))), P("txs", .array(.bytes)), P("proofs", .array(.bytes)),
                                   P("confirmSignatures", .array(.bytes))], returns: [P("exitPosition", .uint(bits: 256))], .payable),
            .init("feeClaimed", [P("txPosition", .uint(bits: 256))], returns: [P("claimed", .bool)], .view),
            .init("finalizeExit", [], returns: [P("finalized", .uint(bits: 256))]),
            .init("withdraw", [], returns: [P("amount", .uint(bits: 256))]),
            .init("proveInvalidTransaction", [P("txPos", .uint(bits: 256)), P("txBytes", .bytes), P("proof", .bytes),
                                              P("inputTxs", .array(.bytes)), P("inputProofs", .array(.bytes))]),
            .init("proveDoubleSpend", [P("posA", .uint(bits: 256)), P("txA", .bytes), P("proofA", .bytes),
                                       P("posB", .uint(bits: 256)), P("txB", .bytes), P("proofB", .bytes)]),
            .init("addStake", [], returns: [P("stake", .uint(bits: 256))], .payable),
            .init("stake", [], returns: [P("stake", .uint(bits: 256)), P("slashed", .bool)], .view),
            .init("latestBlock", [], returns: [P("blockNumber", .uint(bits: 256))], .view),
            .init("operator", [], returns: [P("operator", .address)], .view),
            .init("nextChildBlock", [], returns: [P("blockNumber", .uint(bits: 256))], .view),
            .init("getChildBlock", [P("blockNumber", .uint(bits: 256))],
                  returns: [P("root", .fixedBytes(32)), P("headerHash", .fixedBytes(32)), P("timestamp", .uint(bits: 256))], .view),
            .init("verifyTransaction", [P("blockNumber", .uint(bits: 256)), P("txIndex", .uint(bits: 256)), P("txBytes", .bytes), P("proof", .bytes)],
                  returns: [P("signer1", .address), P("signer2", .address), P("owner1", .address), P("amount1", .uint(bits: 256)),
                            P("owner2", .address), P("amount2", .uint(bits: 256)), P("blockTimestamp", .uint(bits: 256))], .view),
            .init("getExit", [P("utxoPos", .uint(bits: 256))],
                  returns: [P("owner", .address), P("amount", .uint(bits: 256)), P("exitableAt", .uint(bits: 256)), P("status", .uint(bits: 8))], .view),
            .init("withdrawable", [P("account", .address)], returns: [P("amount", .uint(bits: 256))], .view),
            .init("exitBond", [], returns: [P("bond", .uint(bits: 256))], .view),
            .init("challengePeriod", [], returns: [P("seconds", .uint(bits: 256))], .view),
        ],
        events: [
            .init("BlockSubmitted", [P("blockNumber", .uint(bits: 256), indexed: true), P("root", .fixedBytes(32)), P("headerHash", .fixedBytes(32))]),
            .init("Deposit", [P("depositor", .address, indexed: true), P("blockNumber", .uint(bits: 256), indexed: true), P("amount", .uint(bits: 256))]),
            .init("ExitStarted", [P("owner", .address, indexed: true), P("utxoPos", .uint(bits: 256), indexed: true), P("amount", .uint(bits: 256)),
                                  P("exitableAt", .uint(bits: 256))]),
            .init("FeeExitStarted", [P("operator", .address, indexed: true), P("exitPosition", .uint(bits: 256), indexed: true), P("amount", .uint(bits: 256)),
                                     P("transactions", .uint(bits: 256)), P("exitableAt", .uint(bits: 256))]),
            .init("ExitChallenged", [P("utxoPos", .uint(bits: 256), indexed: true), P("challenger", .address, indexed: true)]),
            .init("ExitFinalized", [P("utxoPos", .uint(bits: 256), indexed: true), P("owner", .address, indexed: true), P("amount", .uint(bits: 256))]),
            .init("Withdrawal", [P("account", .address, indexed: true), P("amount", .uint(bits: 256))]),
            .init("FraudProven", [P("blockNumber", .uint(bits: 256), indexed: true), P("prover", .address, indexed: true), P("reason", .string),
                                  P("slashed", .uint(bits: 256))]),
            .init("StakeAdded", [P("operator", .address, indexed: true), P("stake", .uint(bits: 256))]),
        ])

    /// Gas for the proof and signature checks of an exit or a challenge (16 hashes, up to 4 recoveries).
    static let proofGas: UInt64 = 40_000

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        var root = PlasmaRootState(storage: SystemStorage(state: state, address: call.address, gasLimit: call.gasAvailable))
        try root.storage.charge(5_000)
        let (f, args) = try Self.interface.decode(call, gasUsed: root.storage.gasUsed)
        guard try root.chainID() != 0 else { throw revert("no child chain at \(call.address)", root) }
        var logs = [Log]()
        let out: [ABIValue]
        switch f.name {
        case "submitBlock": out = try submitBlock(args, call, &root, &logs)
        case "deposit": out = try deposit(call, &root, &logs)
        case "startExit": out = try startExit(args, call, &root, &logs)
        case "challengeExit": out = try challengeExit(args, call, &root, &logs)
        case "startFeeExit": out = try startFeeExit(args, call, &root, &logs)
        case "feeClaimed":
            let position = try args[0].uintValue?.uint64.map { try root.feeClaimed($0) }
            out = [.bool(position ?? false)]
        case "finalizeExit": out = try finalizeExit(call, &root, &logs)
        case "withdraw": out = try withdraw(call, &root, &logs)
        case "proveInvalidTransaction": out = try proveInvalidTransaction(args, call, &root, &logs)
        case "proveDoubleSpend": out = try proveDoubleSpend(args, call, &root, &logs)
        case "addStake": out = try addStake(call, &root, &logs)
        case "stake": out = [.uint(try root.stake()), .bool(try root.stakeSlashed())]
        case "latestBlock": out = [.uint(UInt256(try root.latestOperatorBlock()))]
        case "operator": out = [.address(try root.operatorAddress())]
        case "nextChildBlock": out = [.uint(UInt256(try root.nextChildBlock()))]
        case "getChildBlock":
            let b = try args[0].uintValue?.uint64.flatMap { try root.block($0) }
            out = [.fixedBytes((b?.root ?? .zero).bytes), .fixedBytes((b?.headerHash ?? .zero).bytes), .uint(UInt256(b?.timestamp ?? 0))]
        case "verifyTransaction": out = try verifyTransaction(args, &root)
        case "getExit":
            let e = try args[0].uintValue?.uint64.flatMap { try root.exit($0) }
            out = [.address(e?.owner ?? .zero), .uint(e?.amount ?? .zero), .uint(UInt256(e?.exitableAt ?? 0)), .uint(UInt256(e?.status.rawValue ?? 0))]
        case "exitBond": out = [.uint(rules.exitBond)]
        case "challengePeriod": out = [.uint(UInt256(rules.challengePeriodSeconds))]
        default: out = [.uint(try root.withdrawable((args[0].addressValue ?? .zero)))]
        }
        return SystemCallResult(output: try ABI.encode(out, types: f.outputTypes), gasUsed: root.storage.gasUsed, logs: logs)
    }

    // MARK: Blocks

    private func submitBlock(_ a: [ABIValue], _ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        guard call.caller == (try root.operatorAddress()) else { throw revert("only the operator submits blocks", root) }
        guard try !root.stakeSlashed() else { throw revert("the operator was slashed by a fraud proof; addStake before submitting blocks", root) }
        let merkleRoot = try H256((a[0].fixedBytesValue ?? []))
        let number = try root.nextChildBlock()
        // Outputs of a later block would have no UTXO position, so nobody could exit them.
        guard number <= UTXOPosition.maxBlockNumber else { throw revert("child block \(number) would be past the last exitable block", root) }
        let header = ChildBlock.headerHash(root: merkleRoot, previous: try root.lastHeaderHash())
        try root.setBlock(number, .init(root: merkleRoot, headerHash: header, timestamp: call.block.timestamp,
                                        previousOperatorBlock: try root.latestOperatorBlock()))
        try root.setLastHeaderHash(header)
        try root.setLatestOperatorBlock(number)
        try root.setNextChildBlock(number + PlasmaRootState.childBlockInterval)
        try root.setNextDepositSlot(1)
        logs.append(try event("BlockSubmitted", call, [UInt256(number)], [.fixedBytes(merkleRoot.bytes), .fixedBytes(header.bytes)]))
        return [.uint(UInt256(number))]
    }

    private func deposit(_ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        guard !call.value.isZero else { throw revert("a deposit needs a value", root) }
        let slot = try root.nextDepositSlot()
        guard slot < PlasmaRootState.childBlockInterval else { throw revert("999 deposits since the last child block; wait for the next one", root) }
        let number = try root.nextChildBlock() - PlasmaRootState.childBlockInterval + slot
        let tx = PlasmaTransaction.deposit(owner: call.caller, amount: call.value)
        let block = try ChildBlock(number: number, previousHeaderHash: .zero, transactions: [tx])
        try root.storage.charge(16 * 36)  // the tree's hashes
        try root.setBlock(number, .init(root: block.merkleRoot, headerHash: block.headerHash, timestamp: call.block.timestamp))
        try root.setNextDepositSlot(slot + 1)
        logs.append(try event("Deposit", call, [call.caller.word, UInt256(number)], [.uint(call.value)]))
        return [.uint(UInt256(number))]
    }

    // MARK: Exits

    /// Proves `tx` sits at `position`'s transaction slot under the stored root of its block.
    func provenTransaction(_ bytes: [UInt8], at blockNumber: UInt64, txIndex: UInt64, proof: [UInt8],
                                   _ root: inout PlasmaRootState) throws -> (PlasmaTransaction, StoredBlockRef) {
        try root.storage.charge(Self.proofGas)
        guard txIndex <= UTXOPosition.maxTxIndex else { throw revert("transaction index \(txIndex) is past a child block's last (\(UTXOPosition.maxTxIndex))", root) }
        guard let block = try root.block(blockNumber) else { throw revert("child block \(blockNumber) was not submitted", root) }
        let tx: PlasmaTransaction
        do { tx = try PlasmaTransaction(encoded: bytes) } catch { throw revert("\(error)", root) }
        guard BinaryMerkleTree.verify(leaf: tx.merkleLeaf, index: Int(txIndex), proof: proof, root: block.root) else {
            throw revert("the Merkle proof does not place the transaction at \(blockNumber):\(txIndex)", root)
        }
        return (tx, StoredBlockRef(number: blockNumber, root: block.root, timestamp: block.timestamp))
    }

    struct StoredBlockRef { let number: UInt64; let root: H256; let timestamp: UInt64 }

    /// What a contract needs to act on a child-chain payment without trusting who reports it: the
    /// transaction proven in a submitted block, its input signers, its outputs and the time the
    /// block's root reached the main chain (a rental contract checks a tenant's rent with it).
    private func verifyTransaction(_ a: [ABIValue], _ root: inout PlasmaRootState) throws -> [ABIValue] {
        guard let number = a[0].uintValue?.uint64, let index = a[1].uintValue?.uint64 else { throw revert("block number and index out of range", root) }
        let (tx, block) = try provenTransaction(a[2].bytesValue ?? [], at: number, txIndex: index, proof: a[3].bytesValue ?? [], &root)
        try root.storage.charge(2 * 3_000)  // two signature recoveries
        let signers: [Address?]
        do { signers = try tx.signers() } catch { throw revert("\(error)", root) }
        return [.address(signers[0] ?? .zero), .address(signers[1] ?? .zero), .address(tx.outputs[0].owner), .uint(tx.outputs[0].amount),
                .address(tx.outputs[1].owner), .uint(tx.outputs[1].amount), .uint(UInt256(block.timestamp))]
    }

    private func startExit(_ a: [ABIValue], _ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        guard call.value == rules.exitBond else { throw revert("an exit posts a bond of exactly \(rules.exitBond) wei", root) }
        let position: UTXOPosition
        do { position = try UTXOPosition(encoded: (a[0].uintValue ?? .zero)) } catch { throw revert("\(error)", root) }
        guard try root.exit(position.encoded) == nil else { throw revert("output \(position) is already exiting or exited", root) }
        let (tx, block) = try provenTransaction((a[1].bytesValue ?? []), at: position.blockNumber, txIndex: position.txIndex, proof: (a[2].bytesValue ?? []), &root)
        let output = tx.outputs[Int(position.outputIndex)]
        guard !output.isNone, output.owner == call.caller else { throw revert("only the owner of output \(position) can exit it", root) }
        guard try !root.spentByFeeExit(position.encoded) else { throw revert("output \(position) was spent: the operator exited that spend's fee", root) }
        if !tx.isDeposit { try checkConfirmations(a[3].bytesValue ?? [], of: tx, in: block, root) }
        let exitableAt = exitableAt(blockTime: block.timestamp, now: call.block.timestamp)
        try root.queue.insert(PlasmaRootState.priority(exitableAt: exitableAt, position: position.encoded), &root.storage)
        try root.reserve(call.value)
        try root.setExit(position.encoded, .init(owner: call.caller, amount: output.amount, exitableAt: exitableAt, status: .queued, bond: call.value))
        logs.append(try event("ExitStarted", call, [call.caller.word, UInt256(position.encoded)],
                              [.uint(output.amount), .uint(UInt256(exitableAt))]))
        return []
    }

    /// Each input's owner confirmed `tx` once its block was available: one 65-byte signature per input, in order. An
    /// honest owner never confirms a transaction in a block it could not see, so nothing of a withheld block exits on
    /// its word — neither the outputs nor the fees (what the operator signs for its own inputs protects nobody else:
    /// that is what exit priority does).
    private func checkConfirmations(_ confirms: [UInt8], of tx: PlasmaTransaction, in block: StoredBlockRef, _ root: PlasmaRootState) throws {
        let signers: [Address?]
        do { signers = try tx.signers() } catch { throw revert("\(error)", root) }
        let needed = signers.compactMap { $0 }
        guard confirms.count == 65 * needed.count else { throw revert("give one 65-byte confirm signature per input (\(needed.count))", root) }
        for (i, owner) in needed.enumerated() {
            let sig = Array(confirms[(65 * i)..<(65 * i + 65)])
            guard (try? ConfirmSignature.signer(of: sig, transaction: tx.hash, blockRoot: block.root)) == owner else {
                throw revert("confirm signature \(i + 1) is not by the owner of input \(i + 1)", root)
            }
        }
    }

    /// Fee exits an operator may batch in one call.
    public static let maxFeeExitsPerCall = 32

    /// The operator's pay: the `fee` of each transaction named (position blknum·10^9 + txindex·10^4, strictly increasing,
    /// at most ``maxFeeExitsPerCall``), proven in its block and confirmed by its input owners exactly as an output's exit
    /// is, becomes one exit to the operator for their sum. A transaction's outputs plus its fee equal its inputs, and its
    /// spent inputs can never exit again, so fees are wei no user can claim: paying them never touches the users' exit
    /// collateral. The exit sits in the queue at the youngest transaction's position with output index 2 (no output has
    /// it, so no spend can challenge it), ranked after every output of those transactions, and matures like theirs; a
    /// fraud proof that rolls back any of its blocks rolls back the youngest too, which cancels it. Each fee is claimed once.
    ///
    /// The inputs' owners confirmed the spend, so the contract itself holds it against them (no watcher needed): an
    /// input whose exit already finalized makes the call revert (the fee would be paid twice: once with the input), a
    /// queued exit of an input is cancelled as a challenge would (its bond to the operator), and no input may exit later.
    private func startFeeExit(_ a: [ABIValue], _ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        guard call.caller == (try root.operatorAddress()) else { throw revert("only the operator exits fees", root) }
        guard call.value == rules.exitBond else { throw revert("an exit posts a bond of exactly \(rules.exitBond) wei", root) }
        let positions = a[0].arrayValue ?? [], txs = a[1].arrayValue ?? [], proofs = a[2].arrayValue ?? [], confirms = a[3].arrayValue ?? []
        guard (1...Self.maxFeeExitsPerCall).contains(positions.count), txs.count == positions.count, proofs.count == positions.count,
              confirms.count == positions.count else {
            throw revert("give 1 to \(Self.maxFeeExitsPerCall) transactions, each with its bytes, proof and confirm signatures", root)
        }
        var total = UInt256.zero, youngest: UTXOPosition?, exitableAt: UInt64 = 0
        for i in positions.indices {
            let position: UTXOPosition
            do { position = try UTXOPosition(encoded: positions[i].uintValue ?? .zero) } catch { throw revert("\(error)", root) }
            guard position.outputIndex == 0 else { throw revert("name transaction \(position.blockNumber):\(position.txIndex) with output index 0", root) }
            guard youngest.map({ $0 < position }) ?? true else { throw revert("the transactions must be in increasing position, each once", root) }
            youngest = position
            let (tx, block) = try provenTransaction(txs[i].bytesValue ?? [], at: position.blockNumber, txIndex: position.txIndex,
                                                    proof: proofs[i].bytesValue ?? [], &root)
            guard !tx.isDeposit, !tx.fee.isZero else { throw revert("transaction \(position.blockNumber):\(position.txIndex) pays no fee", root) }
            guard try !root.feeClaimed(position.encoded) else { throw revert("the fee of \(position.blockNumber):\(position.txIndex) is claimed", root) }
            try checkConfirmations(confirms[i].bytesValue ?? [], of: tx, in: block, root)
            try root.setFeeClaimed(position.encoded)
            for input in tx.inputs where !input.isNone {
                guard let spent = input.position else { throw revert("input \(input.blockNumber):\(input.txIndex):\(input.outputIndex) is no output", root) }
                if var exit = try root.exit(spent.encoded) {
                    switch exit.status {
                    case .finalized: throw revert("input \(spent) of \(position.blockNumber):\(position.txIndex) already exited: its fee went with it", root)
                    case .queued: try cancelChallenged(spent.encoded, &exit, call, &root, &logs)
                    case .none, .challenged, .cancelled: break
                    }
                }
                try root.setSpentByFeeExit(spent.encoded)
            }
            let (sum, overflow) = total.addingReportingOverflow(tx.fee)
            guard !overflow else { throw revert("the fees add up past 2^256 wei", root) }
            total = sum
            exitableAt = max(exitableAt, self.exitableAt(blockTime: block.timestamp, now: call.block.timestamp))
        }
        guard let youngest else { throw revert("no transactions", root) }
        let key = youngest.encoded + 2
        try root.queue.insert(PlasmaRootState.priority(exitableAt: exitableAt, position: key), &root.storage)
        try root.reserve(call.value)
        try root.setExit(key, .init(owner: call.caller, amount: total, exitableAt: exitableAt, status: .queued, bond: call.value))
        logs.append(try event("FeeExitStarted", call, [call.caller.word, UInt256(key)],
                              [.uint(total), .uint(UInt256(positions.count)), .uint(UInt256(exitableAt))]))
        return [.uint(UInt256(key))]
    }

    private func challengeExit(_ a: [ABIValue], _ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        let exiting: UTXOPosition, spend: UTXOPosition
        do {
            exiting = try UTXOPosition(encoded: (a[0].uintValue ?? .zero))
            spend = try UTXOPosition(encoded: (a[1].uintValue ?? .zero))
        } catch { throw revert("\(error)", root) }
        guard var exit = try root.exit(exiting.encoded), exit.status == .queued else { throw revert("output \(exiting) has no exit to challenge", root) }
        let (tx, block) = try provenTransaction((a[2].bytesValue ?? []), at: spend.blockNumber, txIndex: spend.txIndex, proof: (a[3].bytesValue ?? []), &root)
        guard tx.inputs.contains(where: { $0.position == exiting }) else {
            throw revert("the transaction at \(spend) does not spend \(exiting)", root)
        }
        guard (try? ConfirmSignature.signer(of: (a[4].bytesValue ?? []), transaction: tx.hash, blockRoot: block.root)) == exit.owner else {
            throw revert("the confirm signature is not by the exit's owner", root)
        }
        try cancelChallenged(exiting.encoded, &exit, call, &root, &logs)
        return []
    }

    /// Takes the queued exit at `position` out of the queue wherever it sits, as challenged, its bond to the caller.
    private func cancelChallenged(_ position: UInt64, _ exit: inout PlasmaRootState.Exit, _ call: SystemCall, _ root: inout PlasmaRootState,
                                  _ logs: inout [Log]) throws {
        try root.queue.remove(PlasmaRootState.priority(exitableAt: exit.exitableAt, position: position), &root.storage)
        exit.status = .challenged
        try root.setExit(position, exit)
        try root.release(exit.bond)
        try root.credit(call.caller, exit.bond)
        logs.append(try event("ExitChallenged", call, [UInt256(position), call.caller.word], []))
    }

    /// When an exit of an output from a block submitted at `blockTime`, started `now`, matures:
    /// max(blockTime + age cap, now + challenge period), saturating (a timestamp near 2^64 must not
    /// wrap round to an exit that matures at once).
    ///
    /// Genesis keeps the age cap at least twice the challenge period. An operator that withholds a
    /// block and exits a fraudulent output of it at once gets maturity ≥ block time + age cap; an
    /// honest owner of an older output who starts an exit within age cap − challenge period (the
    /// reaction window, at least one challenge period) of that block's submission gets maturity
    /// ≤ that, and ranks first (at equal maturity the older position wins).
    public func exitableAt(blockTime: UInt64, now: UInt64) -> UInt64 {
        let (aged, o1) = blockTime.addingReportingOverflow(rules.exitAgeCapSeconds)
        let (challenged, o2) = now.addingReportingOverflow(rules.challengePeriodSeconds)
        return max(o1 ? .max : aged, o2 ? .max : challenged)
    }

    private func finalizeExit(_ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        var popped = 0, paid = 0
        while popped < Self.maxFinalizedPerCall, let top = try root.queue.peek(&root.storage),
              top.shiftedRight(128).uint64 ?? .max <= call.block.timestamp {
            let position = PlasmaRootState.position(ofPriority: top)
            guard var exit = try root.exit(position), exit.status == .queued else {
                _ = try root.queue.pop(&root.storage)
                popped += 1
                continue
            }
            // A fraud proof rolled the output's block back: the exit is cancelled here, not by the
            // proof, so a proof costs the same whatever the queue holds. The bond goes back: the
            // owner exited an output the operator's chain showed, and the prover already has the stake.
            if try root.block(position / UTXOPosition.blockFactor) == nil {
                _ = try root.queue.pop(&root.storage)
                popped += 1
                exit.status = .cancelled
                try root.setExit(position, exit)
                try root.release(exit.bond)
                try root.credit(exit.owner, exit.bond)
                continue
            }
            let (payout, overflow) = exit.amount.addingReportingOverflow(exit.bond)
            guard !overflow else { throw revert("exit \(position) pays more than 2^256 wei", root) }
            // The bond is in the committed sum already; the amount must come from uncommitted wei.
            guard exit.amount <= (try root.uncommitted(balance: try root.storage.state.balance(call.address))) else { break }
            _ = try root.queue.pop(&root.storage)
            popped += 1
            exit.status = .finalized
            try root.setExit(position, exit)
            try root.release(exit.bond)
            try root.credit(exit.owner, payout)
            logs.append(try event("ExitFinalized", call, [UInt256(position), exit.owner.word], [.uint(exit.amount)]))
            paid += 1
        }
        return [.uint(UInt256(paid))]
    }

    private func withdraw(_ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        let amount = try root.withdrawable(call.caller)
        guard !amount.isZero else { throw revert("nothing to withdraw", root) }
        let state = root.storage.state
        // The stake is not the users' money: payouts come from deposits and bonds only.
        let (available, short) = (try state.balance(call.address)).subtractingReportingOverflow(try root.stake())
        guard !short, available >= amount else { throw revert("the root holds less than the \(amount) wei owed", root) }
        _ = try root.clearWithdrawable(call.caller)
        try state.subtractBalance(call.address, amount)
        try state.addBalance(call.caller, amount)
        logs.append(try event("Withdrawal", call, [call.caller.word], [.uint(amount)]))
        return [.uint(amount)]
    }

    // MARK: Pieces

    func revert(_ why: String, _ root: PlasmaRootState) -> SystemCallError { .reverted(why, gasUsed: root.storage.gasUsed) }

    func event(_ name: String, _ call: SystemCall, _ indexed: [UInt256], _ data: [ABIValue]) throws -> Log {
        try Self.interface.log(name, address: call.address, indexed: indexed, data: data)
    }
}
