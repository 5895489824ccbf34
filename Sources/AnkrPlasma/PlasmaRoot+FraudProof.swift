import AnkrChain
import AnkrPrimitives
import AnkrTrie

/// Fraud proofs: anyone who holds a block's data can prove on chain that the operator put a
/// transaction breaking ``SpendRule`` into it, or spent one output twice. A valid proof
///
/// 1. pays the operator's whole stake to the prover (pull payment through `withdraw`) and marks the
///    chain slashed: no blocks until the operator calls `addStake` with at least the minimum stake;
/// 2. rolls the chain back to the last valid block: the fraudulent block and every operator block
///    after it leave the chain (one recorded range, ``PlasmaRootState/rollBack(from:to:)``), the header
///    chain continues from the last valid block, and block numbers keep going up (deposit blocks,
///    which the contract itself made, all stay valid);
/// 3. leaves queued exits of outputs in rolled-back blocks where they are: `finalizeExit` cancels each
///    one when it reaches the head of the queue and returns its bond.
///
/// So a proof's gas does not depend on how many blocks the operator submitted after the fraud or how
/// many exits are queued: neither can push a proof past the block gas limit.
extension PlasmaRoot {
    /// `proveInvalidTransaction(txPos, txBytes, proof, inputTxs, inputProofs)`: the transaction at
    /// `txPos` (block and index) with its proof, and for each used input the transaction that created
    /// the spent output with its proof (empty bytes and a proof of the zero leaf when that slot is empty).
    func proveInvalidTransaction(_ a: [ABIValue], _ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        let position: UTXOPosition
        do { position = try UTXOPosition(encoded: a[0].uintValue ?? .zero) } catch { throw revert("\(error)", root) }
        let block = position.blockNumber
        guard block % PlasmaRootState.childBlockInterval == 0 else { throw revert("block \(block) is a deposit block, made by this contract", root) }
        let bytes = a[1].bytesValue ?? [], proof = a[2].bytesValue ?? []
        let inputTxs = (a[3].arrayValue ?? []).map { $0.bytesValue ?? [] }, inputProofs = (a[4].arrayValue ?? []).map { $0.bytesValue ?? [] }
        guard let stored = try root.block(block) else { throw revert("child block \(block) is not on the chain", root) }
        try root.storage.charge(Self.proofGas)

        let tx: PlasmaTransaction
        do {
            tx = try PlasmaTransaction(encoded: bytes)
        } catch {
            // An undecodable transaction is fraud if it really is in the block. `rawLeaf` only gives a leaf
        // for canonical bytes with two 65-byte signatures, so no re-encoding of a decodable transaction
        // (re-split signatures, padding, extra items) can stand in for it.
            guard let leaf = PlasmaTransaction.rawLeaf(bytes) else {
                throw revert("the bytes are not a canonical 13-item list with two 65-byte signatures (\(error)), so no block holds them", root)
            }
            guard BinaryMerkleTree.verify(leaf: leaf, index: Int(position.txIndex), proof: proof, root: stored.root) else {
                throw revert("the Merkle proof does not place the transaction at \(block):\(position.txIndex)", root)
            }
            return try slash(block: block, reason: .malformed, call, &root, &logs)
        }
        guard BinaryMerkleTree.verify(leaf: tx.merkleLeaf, index: Int(position.txIndex), proof: proof, root: stored.root) else {
            throw revert("the Merkle proof does not place the transaction at \(block):\(position.txIndex)", root)
        }

        // The outputs the inputs spend, each proven where the input says it is.
        var spent = [PlasmaTransaction.Output?]()
        var used = 0
        for input in tx.inputs where !input.isNone {
            defer { used += 1 }
            guard input.blockNumber < block else { spent.append(nil); continue }
            guard let inputBlock = try root.block(input.blockNumber) else { spent.append(nil); continue }
            guard used < inputTxs.count, used < inputProofs.count else { throw revert("give the transaction and proof behind every used input", root) }
            try root.storage.charge(Self.proofGas / 2)
            if inputTxs[used].isEmpty {
                guard BinaryMerkleTree.verify(leaf: .zero, index: Int(input.txIndex), proof: inputProofs[used], root: inputBlock.root) else {
                    throw revert("the proof does not show slot \(input.blockNumber):\(input.txIndex) empty", root)
                }
                spent.append(nil)
                continue
            }
            let source: PlasmaTransaction
            do { source = try PlasmaTransaction(encoded: inputTxs[used]) } catch { throw revert("input transaction \(used + 1): \(error)", root) }
            guard BinaryMerkleTree.verify(leaf: source.merkleLeaf, index: Int(input.txIndex), proof: inputProofs[used], root: inputBlock.root) else {
                throw revert("the proof does not place input transaction \(used + 1) at \(input.blockNumber):\(input.txIndex)", root)
            }
            spent.append(source.outputs[Int(input.outputIndex)])
        }
        // `spent` lines up with used inputs; used inputs are always the first ones (checked on decode).
        guard let violation = SpendRule.violation(of: tx, inBlock: block, spent: spent) else {
            throw revert("the transaction at \(position) is valid", root)
        }
        return try slash(block: block, reason: violation, call, &root, &logs)
    }

    /// `proveDoubleSpend(posA, txA, proofA, posB, txB, proofB)`: two included transactions spending
    /// one output; the later of the two is the fraud.
    func proveDoubleSpend(_ a: [ABIValue], _ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        let pa: UTXOPosition, pb: UTXOPosition
        do {
            pa = try UTXOPosition(encoded: a[0].uintValue ?? .zero)
            pb = try UTXOPosition(encoded: a[3].uintValue ?? .zero)
        } catch { throw revert("\(error)", root) }
        guard (pa.blockNumber, pa.txIndex) != (pb.blockNumber, pb.txIndex) else { throw revert("the two positions name one transaction", root) }
        let (txA, _) = try provenTransaction(a[1].bytesValue ?? [], at: pa.blockNumber, txIndex: pa.txIndex, proof: a[2].bytesValue ?? [], &root)
        let (txB, _) = try provenTransaction(a[4].bytesValue ?? [], at: pb.blockNumber, txIndex: pb.txIndex, proof: a[5].bytesValue ?? [], &root)
        let shared = Set(txA.inputs.filter { !$0.isNone }).intersection(txB.inputs.filter { !$0.isNone })
        guard !shared.isEmpty else { throw revert("the two transactions spend no output in common", root) }
        let later = (pa.blockNumber, pa.txIndex) > (pb.blockNumber, pb.txIndex) ? pa : pb
        return try slash(block: later.blockNumber, reason: nil, call, &root, &logs)
    }

    /// `addStake()`: the operator stakes (again); at least the minimum stake lifts a slashing.
    func addStake(_ call: SystemCall, _ root: inout PlasmaRootState, _ logs: inout [Log]) throws -> [ABIValue] {
        guard call.caller == (try root.operatorAddress()) else { throw revert("only the operator stakes", root) }
        guard !call.value.isZero else { throw revert("addStake needs a value", root) }
        let (stake, overflow) = (try root.stake()).addingReportingOverflow(call.value)
        guard !overflow else { throw revert("stake overflows", root) }
        let slashed = try root.stakeSlashed() && stake < rules.minimumStake
        try root.setStake(stake, slashed: slashed)
        logs.append(try event("StakeAdded", call, [call.caller.word], [.uint(stake)]))
        return [.uint(stake)]
    }

    private func slash(block: UInt64, reason: SpendRule.Violation?, _ call: SystemCall, _ root: inout PlasmaRootState,
                       _ logs: inout [Log]) throws -> [ABIValue] {
        guard let fraudulent = try root.block(block), block % PlasmaRootState.childBlockInterval == 0 else {
            throw revert("block \(block) is not an operator block on the chain", root)
        }
        let stake = try root.stake()
        try root.setStake(.zero, slashed: true)
        try root.credit(call.caller, stake)

        try root.rollBack(from: block, to: try root.nextChildBlock())
        let valid = fraudulent.previousOperatorBlock
        try root.setLatestOperatorBlock(valid)
        try root.setLastHeaderHash(valid == 0 ? .zero : (try root.block(valid)?.headerHash ?? .zero))
        let why = reason?.description ?? "an output is spent twice"
        logs.append(try event("FraudProven", call, [UInt256(block), call.caller.word], [.string(why), .uint(stake)]))
        return []
    }
}
