import AnkrAppChain
import AnkrChain
import AnkrCrypto
import AnkrEVM
import AnkrPrimitives
import AnkrStorage
import AnkrTrie
import XCTest

/// An application chain run in process (a real ``Blockchain`` with the application-chain execution
/// parameters) beside a main-chain state holding its registry and root, and helpers to call the root as
/// a transaction would.
final class AppChainFixture {
    static let childChainID: UInt64 = 4_242
    static let ether = UInt256(1_000_000_000_000_000_000)
    /// Writes the first calldata word to the slot named by the caller (zero deletes the slot).
    static let slotWriter: [UInt8] = [0x60, 0x00, 0x35, 0x33, 0x55, 0x00]

    static let operatorKey = try! PrivateKey(hex: "0x" + String(repeating: "0e", count: 32))
    let op = AppChainFixture.operatorKey
    let challenger = try! PrivateKey(hex: "0x" + String(repeating: "c4", count: 32))
    /// Funded accounts of the child chain; the first half also own a slot in the slot writer.
    let users: [PrivateKey]
    let rules = AppChainRules(minimumStake: UInt256(1_000), disputeWindowSeconds: 100)
    let child: Blockchain
    let main: WorldState
    let contracts: SystemContractRegistry
    var now: UInt64 = 1_000_000
    var nonces: [Address: UInt64] = [:]
    let stake = UInt256(5_000)

    init(users count: Int = 60) throws {
        users = (1...count).map { i in try! PrivateKey(hex: "0x" + String(format: "%064x", 0x1000 + i)) }
        var genesis = Genesis(chainID: Self.childChainID, parameters: AppChainRules.executionParameters, gasLimit: 2_000_000, alloc: [:])
        genesis.timestamp = 500
        genesis.baseFeePerGas = .zero
        genesis.coinbase = Self.operatorKey.address
        child = try Blockchain(database: ChainDatabase(), genesis: genesis,
                               systemContracts: AppChainRules.childSystemContracts(operator: Self.operatorKey.address))
        contracts = SystemContractRegistry([AppChainRegistry(rules: rules), AppChainRoot(rules: rules)])
        main = WorldState()
        for k in [op, challenger] { try main.setBalance(k.address, UInt256(1_000_000) &* Self.ether) }
        for c in contracts.all { try main.setCode(c.address, SystemContractRegistry.markerCode) }
    }

    /// The slot writer, deployed by the first user's first transaction.
    var slotWriterAddress: Address { EVM.createAddress(users[0].address, nonce: 0) }

    /// Registers the chain, deposits 1,000 ANKR on the main chain for every user, and commits child blocks: the deposits
    /// applied (sixty a block), the slot writer deployed, a slot written for thirty users.
    func bootstrap(profile: String = "real-estate", registering: Bool = true) throws {
        if registering { try register(profile: profile) }
        for u in users { try send(challenger, root, "deposit(address)", [.address(u.address)], value: UInt256(1_000) &* Self.ether) }
        // Sixty a block: five words of calldata each, within the smallest profile's block bytes.
        for first in stride(from: 0, to: users.count, by: 60) {
            let some = users[first..<min(users.count, first + 60)].map { deposit(to: $0.address, UInt256(1_000) &* Self.ether) }
            try commitAndImport(try build([(try relay(UInt64(first), some), op.address)]))
        }
        let initCode: [UInt8] = [0x65] + Self.slotWriter + [0x60, 0x00, 0x52, 0x60, 0x06, 0x60, 0x1a, 0xf3]
        try commitAndImport(try build([try tx(users[0], to: nil, data: initCode, gas: 200_000)]))
        // Thirty slots (a block holds thirty such writes at 60,000 gas).
        try commitAndImport(try build(try users.prefix(min(30, users.count / 2)).enumerated().map { i, u in
            try tx(u, to: slotWriterAddress, data: UInt256(UInt64(i + 1)).bigEndianBytes, gas: 60_000)
        }))
    }

    /// The message a deposit of `value` to `to` made by the challenger (as ``bootstrap()`` and the tests make them) is.
    func deposit(to: Address, _ value: UInt256) -> AppChainMessage { AppChainMessage(sender: challenger.address, target: to, value: value) }

    /// The operator's `applyMessages` transaction delivering `messages` from index `first`, with `nonce` (by default
    /// the operator's next).
    func relay(_ first: UInt64, _ messages: [AppChainMessage], nonce: UInt64? = nil) throws -> Transaction {
        let n = nonce ?? nonces[op.address, default: 0]
        nonces[op.address] = n + 1
        return try Transaction.dynamicFee(chainID: Self.childChainID, nonce: n, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero,
                                   gasLimit: AppChainBridge.applyMessagesGas(dataSizes: messages.map(\.data.count)), to: AppChainBridge.address,
                                   value: .zero, data: try AppChainBridge.applyMessagesCall(first: first, messages)).signed(with: op)
    }

    func commitAndImport(_ block: Block) throws {
        let after = try stateAfter(block)
        try commit(block, applied: try AppChainBridge.depositsApplied(state: after), hash: try AppChainBridge.depositsHash(state: after))
        _ = try child.importBlock(block)
        XCTAssertEqual(child.head.hash, block.hash)
    }

    /// The state `block` (built on the head) leads to, by executing it on a scratch copy.
    func stateAfter(_ block: Block) throws -> WorldState {
        let state = WorldState(root: child.head.stateRoot, store: OverlayNodeStore(base: child.state(at: child.head).store))
        _ = try? BlockExecutor(chainID: Self.childChainID, parameters: AppChainRules.executionParameters,
                               systemContracts: AppChainRules.childSystemContracts(operator: op.address))
            .execute(Block(header: { var h = block.header; h.stateRoot = .zero; return h }(), transactions: block.transactions), parent: child.head,
                     state: state, ancestorHashes: ancestors(of: child.head))
        return state
    }

    var root: Address { AppChainRegistry.rootAddress(1) }

    /// A call as a transaction makes it: value first, everything undone on failure.
    @discardableResult
    func send(_ from: PrivateKey, _ to: Address, _ signature: String, _ args: [ABIValue] = [], value: UInt256 = .zero,
              gas: UInt64 = 30_000_000) throws -> SystemCallResult {
        let contract = try XCTUnwrap(contracts.contract(at: to), "no system contract at \(to)")
        let mark = main.snapshot()
        do {
            try main.subtractBalance(from.address, value)
            try main.addBalance(to, value)
            let context = BlockContext(chainID: 7331, coinbase: .zero, number: 1, timestamp: now, gasLimit: 30_000_000, baseFee: .zero)
            return try contract.call(SystemCall(address: to, caller: from.address, value: value, input: ABI.encodeCall(signature, args),
                                                gasAvailable: gas, block: context), state: main)
        } catch {
            main.revert(to: mark)
            throw error
        }
    }

    func view(_ signature: String, _ args: [ABIValue] = [], returns types: [ABIType]) throws -> [ABIValue] {
        try ABI.decode(types, from: send(challenger, root, signature, args).output)
    }

    func register(profile: String = "real-estate") throws {
        try send(op, AppChainRegistry.address, "createAppChain(uint64,string,bytes)",
                 [.uint(UInt256(Self.childChainID)), .string(profile), .bytes(try XCTUnwrap(child.header(hash: child.genesisHash)).encoded)], value: stake)
    }

    /// A signed EIP-1559 transaction on the child chain from `key`, with its next nonce.
    func tx(_ key: PrivateKey, to: Address?, value: UInt256 = .zero, data: [UInt8] = [], gas: UInt64 = 100_000) throws -> (Transaction, Address) {
        let n = nonces[key.address, default: 0]
        nonces[key.address] = n + 1
        let t = try Transaction.dynamicFee(chainID: Self.childChainID, nonce: n, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10_000_000_000),
                                           gasLimit: gas, to: to, value: value, data: data).signed(with: key)
        return (t, key.address)
    }

    /// A block of mixed work: transfers (some to fresh accounts), slot writes and deletions, a contract creation.
    func mixedTransactions(_ rng: inout some RandomNumberGenerator, count: Int) throws -> [(Transaction, Address)] {
        var txs = [(Transaction, Address)]()
        for _ in 0..<count {
            let from = users.randomElement(using: &rng)!
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: txs.append(try tx(from, to: users.randomElement(using: &rng)!.address, value: UInt256(UInt64.random(in: 1...1_000_000, using: &rng))))
            case 1: txs.append(try tx(from, to: try Address(Array(Keccak256.hash([UInt8.random(in: 0...255, using: &rng)]).prefix(20))), value: .one))
            case 2: txs.append(try tx(from, to: slotWriterAddress, data: UInt256(UInt64.random(in: 1...9, using: &rng)).bigEndianBytes, gas: 60_000))
            case 3: txs.append(try tx(from, to: slotWriterAddress, data: UInt256.zero.bigEndianBytes, gas: 60_000))
            default:
                // Init code returning the slot writer as the new contract's code.
                let initCode: [UInt8] = [0x65] + Self.slotWriter + [0x60, 0x00, 0x52, 0x60, 0x06, 0x60, 0x1a, 0xf3]
                txs.append(try tx(from, to: nil, data: initCode, gas: 200_000))
            }
        }
        return txs
    }

    /// Builds the next child block from `txs` without importing it.
    func build(_ txs: [(Transaction, Address)]) throws -> Block {
        let built = try child.produceBlock(candidates: txs, coinbase: op.address, timestamp: child.head.timestamp + 1)
        XCTAssertEqual(built.rejected.count, 0, "\(built.rejected.map(\.reason))")
        return built.block
    }

    /// The witness an honest re-execution of `block` on the child chain's head needs.
    func witness(_ block: Block) throws -> [[UInt8]] {
        let parent = child.head
        return check.witness(for: block, parent: parent, store: child.state(at: parent).store, ancestorHashes: ancestors(of: parent))
    }

    /// The dispute check of the fixture's chain (real-estate unless `profile` says otherwise).
    var check: StatelessBlockCheck { check(profile: .realEstate) }

    func check(profile: AppChainProfile) -> StatelessBlockCheck {
        StatelessBlockCheck(chainID: Self.childChainID, operator: op.address, maxWitnessBytes: profile.maxWitnessBytes)
    }

    func ancestors(of header: BlockHeader) -> [UInt64: H256] {
        Dictionary(uniqueKeysWithValues: child.ancestors(of: header, count: 256).map { ($0.number, $0.hash) })
    }

    /// Commits `block` claiming `applied` deposits applied with running hash `hash` (defaults: the head's, right for
    /// blocks that apply none; a count alone: the main chain's hash of that many).
    func commit(_ block: Block, applied: UInt64? = nil, hash: H256? = nil) throws {
        let head = child.state(at: child.head)
        let count = try applied ?? AppChainBridge.depositsApplied(state: head)
        let h: H256
        if let hash { h = hash } else if applied == nil { h = try AppChainBridge.depositsHash(state: head) } else {
            h = try H256((try view("depositsHash(uint256)", [.uint(UInt256(count))], returns: [.fixedBytes(32)])[0].fixedBytesValue) ?? [])
        }
        try send(op, root, "commitBlock(bytes,uint256,bytes32)", [.bytes(block.encoded), .uint(UInt256(count)), .fixedBytes(h.bytes)])
    }

    func challenge(_ number: UInt64, parent: BlockHeader, block: Block, witness: [[UInt8]]) throws -> SystemCallResult {
        try send(challenger, root, "challenge(uint256,bytes,bytes,bytes[])",
                 [.uint(UInt256(number)), .bytes(parent.encoded), .bytes(block.encoded), .array(witness.map { .bytes($0) })])
    }

    func latest() throws -> UInt64 { try view("latestBlock()", returns: [.uint(bits: 256)])[0].uintValue?.uint64 ?? .max }
    func stakeNow() throws -> UInt256 { try view("stake()", returns: [.uint(bits: 256), .bool])[0].uintValue ?? .zero }
}
