import AnkrChain
import AnkrCrypto
import AnkrEnclaveRegistry
import AnkrPrimitives
import AnkrTrie

/// The root of every application chain, answering at each chain's address `0x…0c<id>` with that chain's
/// own storage (``AppChainRootState``).
///
/// - `commitBlock(block)`: the operator only, strictly in order. The whole child block (header and
///   transactions, RLP as in `eth_getBlock…` raw form) travels in the call, so its data is available on the main
///   chain to anyone who wants to check it; the root checks that it extends the last commitment, that its
///   transactions root covers its transactions and that its gas limit fits the profile, and stores the
///   header hash, the post-state root and the time.
/// - `challenge(number, parentHeader, block, witness)`: anyone, within the dispute window. The root
///   re-executes the block statelessly on its parent's committed state root from the witness (trie
///   nodes and code, each found by its hash; see ``StatelessBlockCheck``). If the block is invalid half the
///   operator's stake goes to the challenger, half is burnt, and the chain rolls back to the block before it;
///   a valid block, an incomplete witness or anything undecided reverts and changes nothing.
/// - `deposit(recipient)` and `sendMessage(target, data)`, payable: a message to the child chain (a deposit is one
///   without data), queued here with the time it was made; the operator must deliver it within the chain's deposit
///   deadline (``overdueBatch`` a block once overdue), and the root holds its value for the chain's users.
/// - `finalizeWithdrawal(…)` and `finalizeMessage(…)`: anyone, once a block is final, proves a withdrawal or a message
///   the child chain's bridge recorded in that block's state (a Merkle Patricia proof against the committed state
///   root) and the root pays its value out of what it holds, once; a message with data then waits for its target to
///   `consumeMessage(index, sender, data)`.
/// - `proveEquivocation(header)`: anyone. The operator's seal on a block is its soft confirmation — given the moment the
///   block is made (sub-second on a `real-time` chain), long before the block is committed here. A header the operator
///   sealed that extends committed block n − 1 but is not committed block n contradicts it: half the stake goes to the
///   prover, half is burnt (no rollback: the committed block may well be valid). Seals up to a height a dispute rolled
///   back, or an equivocation already punished, no longer count (the operator must build on anew; one contradiction
///   costs one stake).
/// - `addStake()`: the operator tops up (after a slash it must reach the minimum to commit again).
public struct AppChainRoot: SystemContract {
    public let rules: AppChainRules
    /// Family base: chain 0 does not exist; ``handles(_:)`` accepts every chain's address.
    public var address: Address { AppChainRegistry.rootAddress(0) }
    public var name: String { "AppChainRoot" }
    public var interface: ContractInterface { Self.interface }
    /// Messages (deposits among them) each committed block must apply while the oldest unapplied one is overdue: few
    /// enough that a block applying them alone stays within every profile's witness bound whatever the senders chose.
    /// Taking every trie path at 12 nodes of ≤ 608 ABI bytes (7.3 KB) for an account and 8 (4.9 KB) for a storage slot,
    /// such a block reads per message its target's account (ground to a deep path) and the bridge's slot that keeps its
    /// data, 12.2 KB, and once: the bridge's account, the operator's (sender and coinbase) and the bridge's count and
    /// running-hash slots, 24.4 KB. 3 × 12.2 + 24.4 = 61 KB < 64 KiB, the smallest bound, so the rule never demands an
    /// invalid block. Their bytes are bounded too: 3 × (1,024 data + 200) ≪ the smallest block.
    public static let overdueBatch: UInt64 = 3
    /// The largest encoded header a chain may commit (its genesis included): a dispute carries the parent's header
    /// beside the block and its witness, and ``AppChainProfile/challengeBytes`` leaves it this much room. An operator's
    /// header is ~600 bytes (32 bytes of extra data, a 65-byte seal); only a padded seal could reach the bound.
    public static let maxHeaderBytes = 1_024
    /// The most ancestors BLOCKHASH can see, as on Ethereum.
    public static let blockHashWindow: UInt64 = 256

    public init(rules: AppChainRules) { self.rules = rules }

    public func handles(_ address: Address) -> Bool { AppChainRegistry.id(ofRoot: address) != nil }

    private typealias P = ContractInterface.Parameter
    public static let interface = ContractInterface(
        functions: [
            .init("commitBlock", [P("block", .bytes), P("depositsApplied", .uint(bits: 256)), P("depositsHash", .fixedBytes(32))],
                  returns: [P("number", .uint(bits: 256))]),
            .init("deposit", [P("recipient", .address)], returns: [P("index", .uint(bits: 256))], .payable),
            .init("sendMessage", [P("target", .address), P("data", .bytes)], returns: [P("index", .uint(bits: 256))], .payable),
            .init("announceEnclave", [P("enclave", .address), P("role", .uint(bits: 8))], returns: [P("index", .uint(bits: 256))]),
            .init("finalizeMessage", [P("number", .uint(bits: 256)), P("index", .uint(bits: 256)), P("sender", .address), P("target", .address),
                                      P("value", .uint(bits: 256)), P("data", .bytes), P("accountProof", .array(.bytes)), P("storageProof", .array(.bytes))]),
            .init("consumeMessage", [P("index", .uint(bits: 256)), P("sender", .address), P("data", .bytes)]),
            .init("messageFinalized", [P("index", .uint(bits: 256))], returns: [P("finalized", .bool), P("pending", .bool)], .view),
            .init("finalizeWithdrawal", [P("number", .uint(bits: 256)), P("index", .uint(bits: 256)), P("recipient", .address),
                                         P("amount", .uint(bits: 256)), P("accountProof", .array(.bytes)), P("storageProof", .array(.bytes))]),
            .init("challenge", [P("number", .uint(bits: 256)), P("parentHeader", .bytes), P("block", .bytes), P("witness", .array(.bytes))]),
            .init("proveEquivocation", [P("header", .bytes)]),
            .init("addStake", [], returns: [P("stake", .uint(bits: 256))], .payable),
            .init("stake", [], returns: [P("stake", .uint(bits: 256)), P("slashed", .bool)], .view),
            .init("operator", [], returns: [P("operator", .address)], .view),
            .init("chainId", [], returns: [P("chainId", .uint(bits: 64))], .view),
            .init("profile", [], returns: [P("profile", .string)], .view),
            .init("disputeWindow", [], returns: [P("seconds", .uint(bits: 256))], .view),
            .init("latestBlock", [], returns: [P("number", .uint(bits: 256))], .view),
            .init("getCommitment", [P("number", .uint(bits: 256))],
                  returns: [P("headerHash", .fixedBytes(32)), P("stateRoot", .fixedBytes(32)), P("committedAt", .uint(bits: 256)),
                            P("isFinal", .bool), P("depositsApplied", .uint(bits: 256))], .view),
            .init("depositCount", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("depositsHash", [P("count", .uint(bits: 256))], returns: [P("hash", .fixedBytes(32))], .view),
            .init("getDeposit", [P("index", .uint(bits: 256))], returns: [P("record", .fixedBytes(32)), P("madeAt", .uint(bits: 256))], .view),
            .init("depositDeadline", [], returns: [P("seconds", .uint(bits: 256))], .view),
            .init("held", [], returns: [P("amount", .uint(bits: 256))], .view),
            .init("withdrawalPaid", [P("index", .uint(bits: 256))], returns: [P("paid", .bool)], .view),
        ],
        events: [
            .init("BlockCommitted", [P("number", .uint(bits: 256), indexed: true), P("headerHash", .fixedBytes(32)), P("stateRoot", .fixedBytes(32)),
                                     P("transactions", .uint(bits: 256))]),
            .init("BlockDisputed", [P("number", .uint(bits: 256), indexed: true), P("challenger", .address, indexed: true), P("reason", .string),
                                    P("slashed", .uint(bits: 256)), P("reward", .uint(bits: 256))]),
            .init("StakeAdded", [P("operator", .address, indexed: true), P("stake", .uint(bits: 256))]),
            .init("Equivocation", [P("number", .uint(bits: 256), indexed: true), P("prover", .address, indexed: true), P("sealedHash", .fixedBytes(32)),
                                   P("slashed", .uint(bits: 256)), P("reward", .uint(bits: 256))]),
            .init("MessageSent", [P("index", .uint(bits: 256), indexed: true), P("sender", .address, indexed: true), P("target", .address, indexed: true),
                                  P("value", .uint(bits: 256)), P("data", .bytes)]),
            .init("MessageFinalized", [P("index", .uint(bits: 256), indexed: true), P("sender", .address, indexed: true), P("target", .address, indexed: true),
                                       P("value", .uint(bits: 256))]),
            .init("MessageConsumed", [P("index", .uint(bits: 256), indexed: true), P("target", .address, indexed: true)]),
            .init("WithdrawalFinalized", [P("index", .uint(bits: 256), indexed: true), P("recipient", .address, indexed: true),
                                          P("amount", .uint(bits: 256))]),
        ])

    /// Gas for re-executing a child block in a dispute, charged before it runs: the child block's whole gas
    /// limit (the same EVM runs it, at the same prices), a signature recovery per transaction (ecrecover's 3,000),
    /// and for the witness 12 gas a word plus 200 a blob (hashing every blob, decoding the nodes). Around it the
    /// call pays for what it reads: two commitments, up to 256 ancestors' header hashes (2,100 each) for BLOCKHASH,
    /// and the bridge's records (see ``disputeOverheadGas(number:)``). With the largest profile (10,000,000 gas) the
    /// total stays near 11,000,000 plus the calldata, inside one main-chain block of 30,000,000.
    /// What a dispute of block `number` reads besides the re-execution: the call, both commitments, the
    /// ancestors' header hashes, the profile and chain records, and the bridge's (a generous bound, for senders'
    /// gas limits; unused gas is not charged).
    public static func disputeOverheadGas(number: UInt64) -> UInt64 {
        100_000 &+ 2_100 &* min(number, blockHashWindow) &+ 50_000
    }

    public static func disputeGas(gasLimit: UInt64, transactions: Int, witnessBytes: Int, witnessBlobs: Int) -> UInt64 {
        let words = UInt64(clamping: witnessBytes) / 32 + 1
        return 100_000 &+ gasLimit &+ 3_000 &* UInt64(clamping: transactions) &+ 12 &* words &+ 200 &* UInt64(clamping: witnessBlobs)
    }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        var root = AppChainRootState(storage: SystemStorage(state: state, address: call.address, gasLimit: call.gasAvailable))
        try root.storage.charge(5_000)
        let (f, args) = try Self.interface.decode(call, gasUsed: root.storage.gasUsed)
        guard try root.chainID() != 0, let profile = try root.profile() else { throw revert("no application chain at \(call.address)", root) }
        var logs = [Log]()
        let out: [ABIValue]
        switch f.name {
        case "commitBlock": out = try commitBlock(args, call, profile, &root, &logs)
        case "challenge": out = try challenge(args, call, profile, &root, &logs, state: state)
        case "proveEquivocation": out = try proveEquivocation(args, call, &root, &logs, state: state)
        case "deposit", "sendMessage", "announceEnclave":
            let message: AppChainMessage
            if f.name == "deposit" {
                guard !call.value.isZero, let to = args[0].addressValue else { throw revert("a deposit needs a value and a recipient", root) }
                message = AppChainMessage(sender: call.caller, target: to, value: call.value)
            } else if f.name == "sendMessage" {
                guard let to = args[0].addressValue, let data = args[1].bytesValue, data.count <= AppChainMessage.maxDataBytes else {
                    throw revert("a message carries at most \(AppChainMessage.maxDataBytes) bytes of data", root)
                }
                // Hashing the data (its record) at Keccak's 6 gas a word; the event carries it for the operator to relay.
                try root.storage.charge(6 &* (UInt64(data.count) / 32 &+ 1))
                message = AppChainMessage(sender: call.caller, target: to, value: call.value, data: data)
            } else {
                // The main chain's registry speaks for itself: its registration of the enclave as of this block (or that
                // there is none live), sent from its address to the same address on the child chain (the mirror there).
                guard call.value.isZero, let enclave = args[0].addressValue, let code = args[1].uintValue?.uint64,
                      let role = UInt8(exactly: code).flatMap(EnclaveRole.init(rawValue:)) else { throw revert("announceEnclave(enclave, role 0 or 1), no value", root) }
                // A registration is about a dozen storage words and a key, read as cold slots.
                try root.storage.charge(14 &* SystemStorage.readWordGas)
                let live = try EnclaveRegistry.liveRegistration(of: enclave, role: role, state: state, time: call.block.timestamp)
                message = AppChainMessage(sender: EnclaveRegistry.address, target: EnclaveRegistry.address, value: .zero,
                                          data: EnclaveAnnouncement(enclave: enclave, role: role, registration: live).encoded)
            }
            // Into a chain whose operator was slashed (and has not staked again) nothing may go: nobody might apply it.
            guard try root.stake() >= rules.minimumStake else { throw revert("the chain's operator is slashed; it takes no messages until it stakes again", root) }
            let (held, overflow) = try root.held().addingReportingOverflow(call.value)
            guard !overflow else { throw revert("the root cannot hold more", root) }
            try root.setHeld(held)
            let index = try root.addDeposit(record: message.record, at: call.block.timestamp)
            logs.append(try Self.interface.log("MessageSent", address: call.address, indexed: [UInt256(index), message.sender.word, message.target.word],
                                               data: [.uint(message.value), .bytes(message.data)]))
            out = [.uint(UInt256(index))]
        case "finalizeMessage": out = try finalizeMessage(args, call, profile, &root, &logs, state: state)
        case "consumeMessage":
            guard let index = args[0].uintValue?.uint64, let sender = args[1].addressValue, let data = args[2].bytesValue else {
                throw revert("no such message \(args[0])", root)
            }
            try root.storage.charge(6 &* (UInt64(data.count) / 32 &+ 1))
            if let refused = try consume(&root.storage, slot: AppChainRootState.childMessageSlot(index), index: index, sender: sender,
                                         target: call.caller, data: data) {
                throw revert(refused, root)
            }
            logs.append(try Self.interface.log("MessageConsumed", address: call.address, indexed: [UInt256(index), call.caller.word], data: []))
            out = []
        case "messageFinalized":
            let kept = try args[0].uintValue?.uint64.map { try root.storage.word(AppChainRootState.childMessageSlot($0)) } ?? .zero
            out = [.bool(!kept.isZero), .bool(!kept.isZero && kept != AppChainMessage.consumed)]
        case "finalizeWithdrawal": out = try finalizeWithdrawal(args, call, profile, &root, &logs, state: state)
        case "depositCount": out = [.uint(UInt256(try root.depositCount()))]
        case "depositsHash":
            guard let n = args[0].uintValue?.uint64, n <= (try root.depositCount()) else { throw revert("no such deposit count \(args[0])", root) }
            out = [.fixedBytes(try root.depositsHash(n).bytes)]
        case "getDeposit":
            let d = try args[0].uintValue?.uint64.flatMap { try root.deposit($0) }
            out = [.fixedBytes((d?.record ?? .zero).bytes), .uint(UInt256(d?.madeAt ?? 0))]
        case "depositDeadline": out = [.uint(UInt256(rules.depositDeadline(profile)))]
        case "held": out = [.uint(try root.held())]
        case "withdrawalPaid": out = [.bool(try args[0].uintValue?.uint64.map { try root.withdrawalPaid($0) } ?? false)]
        case "addStake":
            guard call.caller == (try root.operatorAddress()) else { throw revert("only the operator adds to its stake", root) }
            let (total, overflow) = try root.stake().addingReportingOverflow(call.value)
            guard !overflow else { throw revert("stake would overflow", root) }
            try root.setStake(total)
            if total >= rules.minimumStake { try root.setSlashed(false) }
            logs.append(try Self.interface.log("StakeAdded", address: call.address, indexed: [call.caller.word], data: [.uint(total)]))
            out = [.uint(total)]
        case "stake": out = [.uint(try root.stake()), .bool(try root.slashed())]
        case "operator": out = [.address(try root.operatorAddress())]
        case "chainId": out = [.uint(UInt256(try root.chainID()))]
        case "profile": out = [.string(profile.rawValue)]
        case "disputeWindow": out = [.uint(UInt256(rules.disputeWindow(profile)))]
        case "latestBlock": out = [.uint(UInt256(try root.latestBlock()))]
        default:
            let c = try args[0].uintValue?.uint64.flatMap { try root.commitment($0) }
            let final = c.map { $0.committedAt &+ rules.disputeWindow(profile) <= call.block.timestamp } ?? false
            out = [.fixedBytes((c?.headerHash ?? .zero).bytes), .fixedBytes((c?.stateRoot ?? .zero).bytes),
                   .uint(UInt256(c?.committedAt ?? 0)), .bool(final), .uint(UInt256(c?.depositsApplied ?? 0))]
        }
        return SystemCallResult(output: try ABI.encode(out, types: f.outputTypes), gasUsed: root.storage.gasUsed, logs: logs)
    }

    private func commitBlock(_ a: [ABIValue], _ call: SystemCall, _ profile: AppChainProfile, _ root: inout AppChainRootState,
                             _ logs: inout [Log]) throws -> [ABIValue] {
        guard call.caller == (try root.operatorAddress()) else { throw revert("only the operator commits blocks", root) }
        // The block must travel as the transaction's own calldata, where anyone finds it, not built inside a contract.
        guard call.origin == call.caller else { throw revert("commitBlock must be the operator's own transaction, not a call from a contract", root) }
        guard try root.stake() >= rules.minimumStake else {
            throw revert("the operator's stake is below the minimum \(rules.minimumStake) wei (slashed?); addStake before committing", root)
        }
        let bytes = a[0].bytesValue ?? []
        guard bytes.count <= profile.maxBlockBytes else {
            throw revert("a \(profile.rawValue) chain's blocks are at most \(profile.maxBlockBytes) bytes, not \(bytes.count)", root)
        }
        // Hashing the block and its transactions root: twice its words at Keccak's 6 gas a word.
        try root.storage.charge(20_000 &+ 12 &* (UInt64(bytes.count) / 32 &+ 1))
        let block: Block
        do { block = try Block(encoded: bytes) } catch { throw revert("block: \(error)", root) }
        let h = block.header
        // A dispute of the next block carries this header beside that block and its witness in one transaction.
        guard h.encoded.count <= Self.maxHeaderBytes else {
            throw revert("a committed header is at most \(Self.maxHeaderBytes) bytes, not \(h.encoded.count)", root)
        }
        let latest = try root.latestBlock()
        guard let last = try root.commitment(latest) else { throw revert("no commitment \(latest)", root) }
        guard h.number == latest &+ 1 else { throw revert("the next block to commit is \(latest &+ 1), not \(h.number)", root) }
        guard h.parentHash == last.headerHash else { throw revert("block \(h.number)'s parent \(h.parentHash) is not block \(latest) \(last.headerHash)", root) }
        guard h.gasLimit <= profile.maxBlockGasLimit else {
            throw revert("a \(profile.rawValue) chain's blocks carry at most \(profile.maxBlockGasLimit) gas, not \(h.gasLimit)", root)
        }
        // The transactions travel with the commitment and must be the block's: a dispute re-executes these.
        let txRoot = Block.transactionsRoot(block.transactions)
        guard txRoot == h.transactionsRoot else { throw revert("the transactions do not match the header's transactions root", root) }
        // Deposits: the count applied never falls, never passes the deposits made, and takes in every overdue one.
        guard let applied = a[1].uintValue?.uint64, applied >= last.depositsApplied, applied <= (try root.depositCount()) else {
            throw revert("deposits applied must be between \(last.depositsApplied) and the \(try root.depositCount()) made, not \(a[1])", root)
        }
        // …and be the main chain's deposits, in its order: the bridge's running hash of them (after a main-chain
        // reorganisation replaced a deposit the operator had applied, its commitments stop here, before any dispute).
        guard let hash = a[2].fixedBytesValue, hash == (try root.depositsHash(applied)).bytes else {
            throw revert("the deposits this block applied are not the main chain's first \(applied)", root)
        }
        // Once the oldest unapplied deposit is overdue, every block must apply a batch of the overdue ones (a flood of
        // deposits slows the chain down; it cannot halt it). Only deposits already overdue count: one made after the block
        // was sealed, or still unconfirmed, is never held against it.
        let deadline = rules.depositDeadline(profile)
        if let oldest = try root.deposit(last.depositsApplied), oldest.madeAt &+ deadline <= call.block.timestamp {
            let required = min(try overdueCount(&root, now: call.block.timestamp, deadline: deadline, from: last.depositsApplied),
                               last.depositsApplied &+ Self.overdueBatch)
            guard applied >= required else {
                throw revert("deposit \(last.depositsApplied) is overdue: a block must apply at least \(required) deposits", root)
            }
        }
        try root.setCommitment(h.number, .init(headerHash: h.hash, stateRoot: h.stateRoot, committedAt: call.block.timestamp, depositsApplied: applied))
        try root.setLatestBlock(h.number)
        logs.append(try Self.interface.log("BlockCommitted", address: call.address, indexed: [UInt256(h.number)],
                                           data: [.fixedBytes(h.hash.bytes), .fixedBytes(h.stateRoot.bytes), .uint(UInt256(block.transactions.count))]))
        return [.uint(UInt256(h.number))]
    }

    /// How many deposits are overdue at `now` (made at least `deadline` seconds earlier): deposits are in the order
    /// made, so a binary search from `from` (overdue itself) over the rest, one read a step.
    private func overdueCount(_ root: inout AppChainRootState, now: UInt64, deadline: UInt64, from: UInt64) throws -> UInt64 {
        var overdue = from &+ 1, notYet = try root.depositCount()
        while overdue < notYet {
            let mid = overdue + (notYet - overdue) / 2
            if let d = try root.deposit(mid), d.madeAt &+ deadline <= now { overdue = mid + 1 } else { notYet = mid }
        }
        return overdue
    }

    private func challenge(_ a: [ABIValue], _ call: SystemCall, _ profile: AppChainProfile, _ root: inout AppChainRootState,
                           _ logs: inout [Log], state: WorldState) throws -> [ABIValue] {
        guard let number = a[0].uintValue?.uint64, number >= 1, let c = try root.commitment(number) else {
            throw revert("no committed block \(a[0]) to dispute", root)
        }
        guard c.committedAt &+ rules.disputeWindow(profile) > call.block.timestamp else {
            throw revert("block \(number) is final: its dispute window ended", root)
        }
        guard let parentCommitment = try root.commitment(number - 1) else { throw revert("no commitment \(number - 1)", root) }
        let parentBytes = a[1].bytesValue ?? [], blockBytes = a[2].bytesValue ?? []
        guard Keccak256.h256(parentBytes) == parentCommitment.headerHash else {
            throw revert("the parent header is not committed block \(number - 1)", root)
        }
        let parent: BlockHeader, block: Block
        do { parent = try BlockHeader(encoded: parentBytes); block = try Block(encoded: blockBytes) } catch { throw revert("\(error)", root) }
        guard block.hash == c.headerHash else { throw revert("the block is not committed block \(number)", root) }
        // The header alone is not the block: its transactions must be the ones committed with it.
        guard Block.transactionsRoot(block.transactions) == block.header.transactionsRoot else {
            throw revert("the transactions are not committed block \(number)'s", root)
        }
        guard case .array(let items) = a[3] else { throw revert("witness must be bytes[]", root) }
        let witness = items.map { $0.bytesValue ?? [] }
        try root.storage.charge(Self.disputeGas(gasLimit: block.header.gasLimit, transactions: block.transactions.count,
                                                witnessBytes: witness.reduce(0) { $0 &+ $1.count }, witnessBlobs: witness.count))
        // BLOCKHASH sees the committed header hashes, as the child chain's own nodes see their ancestors.
        var ancestors = [UInt64: H256]()
        let first = number > Self.blockHashWindow ? number - Self.blockHashWindow : 0
        for n in first..<number { ancestors[n] = try root.headerHash(n) }
        let report = StatelessBlockCheck(chainID: try root.chainID(), operator: try root.operatorAddress(), maxWitnessBytes: profile.maxWitnessBytes)
            .report(block, parent: parent, witness: witness, ancestorHashes: ancestors)
        var verdict = report.verdict
        // A block that executes can still break the bridge's rules: a deposit the main chain never saw, a count
        // other than the committed one.
        if case .valid = verdict, let bridge = report.bridge,
           let broken = try bridge.violation(claimed: c.depositsApplied, claimedHash: try root.depositsHash(c.depositsApplied),
                                             record: { i in try root.deposit(i)?.record }) {
            verdict = .invalid(broken)
        }
        switch verdict {
        case .valid: throw revert("block \(number) is valid: re-executing it gives every root its header commits to", root)
        case .incompleteWitness(let h): throw revert("the witness lacks \(h), which re-executing block \(number) reads", root)
        case .undecided(let why): throw revert("re-executing block \(number) gave no verdict: \(why)", root)
        case .invalid(let why):
            // Half the stake to the challenger, half burnt (an operator that disputes its own fraud first still loses
            // half); the chain continues from the block before the invalid one.
            let stake = try root.stake()
            let reward = stake.shiftedRight(1)
            try root.setStake(.zero)
            try root.setSlashed(true)
            try root.setLatestBlock(number - 1)
            try root.releaseSeals(through: number)
            try state.subtractBalance(call.address, stake)
            try state.addBalance(call.caller, reward)
            logs.append(try Self.interface.log("BlockDisputed", address: call.address, indexed: [UInt256(number), call.caller.word],
                                               data: [.string(String(why.prefix(256))), .uint(stake), .uint(reward)]))
            return []
        }
    }

    private func proveEquivocation(_ a: [ABIValue], _ call: SystemCall, _ root: inout AppChainRootState, _ logs: inout [Log],
                                   state: WorldState) throws -> [ABIValue] {
        let bytes = a[0].bytesValue ?? []
        guard bytes.count <= Self.maxHeaderBytes else { throw revert("a header is at most \(Self.maxHeaderBytes) bytes", root) }
        // Decoding and hashing the header twice, and recovering its seal's signer (ecrecover's 3,000).
        try root.storage.charge(3_000 &+ 12 &* (UInt64(bytes.count) / 32 &+ 1))
        let header: BlockHeader
        do { header = try BlockHeader(encoded: bytes) } catch { throw revert("header: \(error)", root) }
        let n = header.number
        guard n >= 1, n > (try root.sealsReleasedThrough()), let committed = try root.commitment(n), let parent = try root.commitment(n - 1) else {
            throw revert("block \(n) is not committed, or its seals were released (rolled back, or already punished): there is nothing it contradicts", root)
        }
        guard header.parentHash == parent.headerHash else { throw revert("the header does not extend committed block \(n - 1)", root) }
        guard header.hash != committed.headerHash else { throw revert("the header is committed block \(n)", root) }
        // As the chain's nodes accept seals: low-s and v 0 or 1 only, or a re-encoded copy of the committed block's own seal
        // (v 27, high s) would pass for another block and slash an honest operator.
        guard header.seal.count == 65, header.seal[64] <= 1, let signature = try? Signature(rsv: header.seal),
              let signer = try? signature.recoverAddress(hash: header.sealHash.bytes), signer == (try root.operatorAddress()) else {
            throw revert("the header is not sealed by the operator", root)
        }
        let stake = try root.stake()
        let reward = stake.shiftedRight(1)
        try root.setStake(.zero)
        try root.setSlashed(true)
        try state.subtractBalance(call.address, stake)
        try state.addBalance(call.caller, reward)
        // Once per contradiction: the same header (or another up to this height) cannot take the next stake too.
        try root.releaseSeals(through: n)
        logs.append(try Self.interface.log("Equivocation", address: call.address, indexed: [UInt256(n), call.caller.word],
                                           data: [.fixedBytes(header.hash.bytes), .uint(stake), .uint(reward)]))
        return []
    }

    private func finalizeWithdrawal(_ a: [ABIValue], _ call: SystemCall, _ profile: AppChainProfile, _ root: inout AppChainRootState,
                                    _ logs: inout [Log], state: WorldState) throws -> [ABIValue] {
        guard let index = a[1].uintValue?.uint64, let to = a[2].addressValue, let amount = a[3].uintValue, !amount.isZero else {
            throw revert("bad withdrawal", root)
        }
        guard try !root.withdrawalPaid(index) else { throw revert("withdrawal \(index) is already paid", root) }
        let (number, record) = try provenBridgeWord(a[0], slot: AppChainBridge.withdrawalSlot(index), what: "withdrawal \(index)",
                                                    accountProof: a[4], storageProof: a[5], call, profile, &root)
        guard record == AppChainBridge.withdrawalRecord(to: to, amount: amount) else {
            throw revert("withdrawal \(index) in block \(number) is not \(amount) wei to \(to.checksummed)", root)
        }
        try payOut(amount, to: to, &root, state: state)
        try root.markWithdrawalPaid(index)
        logs.append(try Self.interface.log("WithdrawalFinalized", address: call.address, indexed: [UInt256(index), to.word], data: [.uint(amount)]))
        return []
    }

    /// Proves message `index` the child chain sent (`sendMessage` on its bridge) and pays its value to its target; one
    /// with data then waits for the target to consume it.
    private func finalizeMessage(_ a: [ABIValue], _ call: SystemCall, _ profile: AppChainProfile, _ root: inout AppChainRootState,
                                 _ logs: inout [Log], state: WorldState) throws -> [ABIValue] {
        guard let index = a[1].uintValue?.uint64, let sender = a[2].addressValue, let target = a[3].addressValue, let value = a[4].uintValue,
              let data = a[5].bytesValue, data.count <= AppChainMessage.maxDataBytes else { throw revert("bad message", root) }
        let slot = AppChainRootState.childMessageSlot(index)
        guard try root.storage.word(slot).isZero else { throw revert("message \(index) is already finalized", root) }
        try root.storage.charge(6 &* (UInt64(data.count) / 32 &+ 1))
        let message = AppChainMessage(sender: sender, target: target, value: value, data: data)
        let (number, record) = try provenBridgeWord(a[0], slot: AppChainBridge.messageSlot(index), what: "message \(index)",
                                                    accountProof: a[6], storageProof: a[7], call, profile, &root)
        guard H256(word: record) == message.record else {
            throw revert("message \(index) in block \(number) is not that message from \(sender.checksummed) to \(target.checksummed)", root)
        }
        if !value.isZero { try payOut(value, to: target, &root, state: state) }
        try root.storage.setWord(slot, data.isEmpty ? AppChainMessage.consumed
                                                    : UInt256(bigEndian: AppChainMessage.pending(sender: sender, target: target, data: data).bytes) ?? .zero)
        logs.append(try Self.interface.log("MessageFinalized", address: call.address, indexed: [UInt256(index), sender.word, target.word],
                                           data: [.uint(value)]))
        return []
    }

    /// The word the child chain's bridge holds at `slot` in final block `numberArg`'s committed state, proven by a
    /// Merkle Patricia proof of the bridge's account and one of the slot (charged per byte and node); reverts unless
    /// the block is final and both proofs hold.
    private func provenBridgeWord(_ numberArg: ABIValue, slot: UInt256, what: String, accountProof accountArg: ABIValue, storageProof storageArg: ABIValue,
                                  _ call: SystemCall, _ profile: AppChainProfile, _ root: inout AppChainRootState) throws -> (UInt64, UInt256) {
        guard let number = numberArg.uintValue?.uint64, let c = try root.commitment(number) else { throw revert("no committed block \(numberArg)", root) }
        guard c.committedAt &+ rules.disputeWindow(profile) <= call.block.timestamp else {
            throw revert("block \(number) is not final yet: withdrawals and messages are proven against final blocks only", root)
        }
        guard case .array(let accountItems) = accountArg, case .array(let storageItems) = storageArg else { throw revert("proofs must be bytes[]", root) }
        let accountProof = accountItems.map { $0.bytesValue ?? [] }, storageProof = storageItems.map { $0.bytesValue ?? [] }
        let proofBytes = (accountProof + storageProof).reduce(0) { $0 &+ $1.count }
        try root.storage.charge(12 &* (UInt64(proofBytes) / 32 &+ 1) &+ 200 &* UInt64(accountProof.count + storageProof.count))
        do {
            guard let accountRLP = try SecureMerklePatriciaTrie.verifyProof(root: c.stateRoot, key: AppChainBridge.address.bytes, proof: accountProof) else {
                throw revert("the account proof shows no bridge", root)
            }
            let bridge = try Account(encoded: accountRLP)
            guard let value = try SecureMerklePatriciaTrie.verifyProof(root: bridge.storageRoot, key: slot.bigEndianBytes, proof: storageProof) else {
                throw revert("block \(number)'s state holds no \(what)", root)
            }
            return (number, try RLP.decode(value).uint256Value())
        } catch let e as SystemCallError {
            throw e
        } catch {
            throw revert("proof: \(error)", root)
        }
    }

    /// Pays `amount` out of what the root holds for the chain's users.
    private func payOut(_ amount: UInt256, to: Address, _ root: inout AppChainRootState, state: WorldState) throws {
        let held = try root.held()
        // Only fraud that went undisputed could make the chain owe more than was deposited.
        guard held >= amount else { throw revert("the root holds \(held) wei for the chain's users, less than \(amount)", root) }
        try root.setHeld(held &- amount)
        try state.subtractBalance(root.storage.address, amount)
        try state.addBalance(to, amount)
    }

    func revert(_ why: String, _ root: AppChainRootState) -> SystemCallError { .reverted(why, gasUsed: root.storage.gasUsed) }
}
