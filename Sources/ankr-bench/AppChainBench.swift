import AnkrAppChain
import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrEVM
import AnkrNode
import AnkrPrimitives
import AnkrStorage
import ArgumentParser
import Foundation
import Logging

/// Application chains, per profile: how many ERC-20 transfers the operator's node puts in a block and how many per
/// second it can produce (build, measure the dispute witness against the bound, import), what committing each block
/// costs on the main chain per child transaction, and what the largest dispute costs and takes.
struct AppChainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appchain",
        abstract: "Application chains per profile: ERC-20 transfers per block and per second, main-chain gas per child transaction, the largest dispute.")

    @Option(help: "Token holders sending transfers (each sends two).")
    var accounts = 600

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            guard accounts >= 10, accounts <= 20_000 else { throw BenchError.options("--accounts", mustBe: "10…20000") }
            var rows = [JSON]()
            for profile in AppChainProfile.allCases {
                var err = StandardError()
                print("\(profile.rawValue): funding \(accounts) accounts and deploying the token…", to: &err)
                let bench = try AppChainBenchChain(profile: profile, accounts: accounts)
                let row = try bench.measure()
                rows.append(row)
                if !json { Self.printRow(profile, row) }
            }
            if json { print(JSON.array(rows).text) }
        }
    }

    private static func printRow(_ profile: AppChainProfile, _ r: JSON) {
        func d(_ k: String) -> Double { r[k]?.double ?? 0 }
        print(String(format: "%@ (%.0f s blocks, %.0fM gas, %d KiB block, %d KiB witness): %.0f ERC-20 transfers a block (bound: %@), "
                        + "built+checked+imported at %.0f tx/s (%.1f blocks/s), so %.0f tx/s at the profile's interval; "
                        + "commitment %.0f main-chain gas a block, %.0f per child tx; witness %.0f bytes a block",
                     profile.rawValue, d("interval_seconds"), d("max_gas") / 1e6, profile.maxBlockBytes / 1024, profile.maxWitnessBytes / 1024,
                     d("transfers_per_block"), r["bound"]?.string ?? "?", d("cpu_tx_per_second"), d("cpu_blocks_per_second"),
                     d("tx_per_second_at_interval"), d("commit_gas_per_block"), d("commit_gas_per_tx"), d("witness_bytes_per_block")))
        print(String(format: "  dispute of a full block with a wrong state root: %.0f bytes of calldata, %.2fM gas, %.0f ms; "
                        + "the bound for any block of the profile: %.2fM gas",
                     d("dispute_calldata_bytes"), d("dispute_gas") / 1e6, d("dispute_seconds") * 1000, d("dispute_gas_bound") / 1e6))
    }
}

/// One application chain of a profile, in process: its `Blockchain`, mempool and the operator's `BlockProducer` (the
/// node's own path: pool order, byte bound, witness check) beside a main-chain state holding the registry and its
/// root, with the token deployed and `accounts` holders funded.
final class AppChainBenchChain {
    static let chainID: UInt64 = 4_343
    let profile: AppChainProfile
    let op = (try? PrivateKey(hex: "0x" + String(repeating: "0e", count: 32))) ?? PrivateKey.random()
    let challenger = (try? PrivateKey(hex: "0x" + String(repeating: "c4", count: 32))) ?? PrivateKey.random()
    let keys: [PrivateKey]
    let child: Blockchain
    let main = WorldState()
    let contracts: SystemContractRegistry
    let check: StatelessBlockCheck
    let pool: Mempool
    let producer: BlockProducer
    var nonces = [Address: UInt64]()
    var now: UInt64 = 1_000_000
    let token: Address

    init(profile: AppChainProfile, accounts: Int) throws {
        self.profile = profile
        keys = (0..<accounts).map { i in (try? PrivateKey(Keccak256.hash(Array("ankr-bench-appchain-\(i)".utf8)))) ?? PrivateKey.random() }
        var genesis = Genesis(chainID: Self.chainID, parameters: AppChainRules.executionParameters, gasLimit: profile.maxBlockGasLimit, alloc: [:])
        genesis.timestamp = 500
        genesis.baseFeePerGas = .zero
        genesis.coinbase = op.address
        child = try Blockchain(database: ChainDatabase(), genesis: genesis, systemContracts: AppChainRules.childSystemContracts(operator: op.address))
        let rules = AppChainRules(minimumStake: UInt256(1_000), disputeWindowSeconds: 1_000)
        contracts = SystemContractRegistry([AppChainRegistry(rules: rules), AppChainRoot(rules: rules)])
        check = StatelessBlockCheck(chainID: Self.chainID, operator: op.address, maxWitnessBytes: profile.maxWitnessBytes)
        var poolConfiguration = Mempool.Configuration()
        poolConfiguration.capacity = 65_536
        poolConfiguration.perSender = 65_536
        poolConfiguration.maxNonceGap = 65_536
        pool = Mempool(chainID: Self.chainID, configuration: poolConfiguration, systemContracts: AppChainRules.childSystemContracts(operator: op.address))
        pool.follow(child)
        // Never started: the benchmark asks it for each block, as its timer would.
        producer = BlockProducer(chain: child, mempool: pool, coinbase: op.address, period: -1, producesEmptyBlocks: false,
                                 logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        producer.maxTransactionBytes = profile.maxTransactionBytes
        producer.firstSender = op.address
        let check = check, child = child
        producer.blockCheck = { block, parent in check.fitsWitnessBound(block, parent: parent, chain: child) }
        token = EVM.createAddress(keys[0].address, nonce: 0)
        let ether = UInt256(1_000_000_000_000_000_000)
        for k in [op, challenger] { try main.setBalance(k.address, UInt256(1_000_000_000) &* ether) }
        for c in contracts.all { try main.setCode(c.address, SystemContractRegistry.markerCode) }
        guard let genesisHeader = try child.header(hash: child.genesisHash) else { throw BenchError.appChain("no genesis header") }
        try send(op, AppChainRegistry.address, "createAppChain(uint64,string,bytes)",
                 [.uint(UInt256(Self.chainID)), .string(profile.rawValue), .bytes(genesisHeader.encoded)], value: UInt256(5_000))
        try fund(ether)
    }

    var root: Address { AppChainRegistry.rootAddress(1) }

    /// Deposits an ether to every holder (applied by the operator's bridge calls), deploys the token with every
    /// holder's balance set by its constructor, all through committed blocks.
    private func fund(_ ether: UInt256) throws {
        // The operator too: once full blocks lift the base fee above zero its relays pay it.
        for k in [op] + keys { try send(challenger, root, "deposit(address)", [.address(k.address)], value: ether) }
        // Sixteen a call, as relays go in a few at a time (within any block's gas, bytes and witness); the producer puts
        // as many calls in a block as fit.
        let perBlock = 16
        let recipients = [op] + keys
        var first = 0
        while first < recipients.count {
            let chunk = Array(recipients[first..<min(recipients.count, first + perBlock)])
            let messages = chunk.map { AppChainMessage(sender: challenger.address, target: $0.address, value: ether) }
            let apply = try signed(op, to: AppChainBridge.address, gas: AppChainBridge.applyMessagesGas(dataSizes: messages.map(\.data.count)),
                                   data: try AppChainBridge.applyMessagesCall(first: UInt64(first), messages))
            try produceAll([apply])
            first += chunk.count
        }
        // Constructor: SSTORE each holder's balance (Vyper's map slot), then return the runtime code.
        var initCode = [UInt8]()
        let runtime = try Hex.decode(ChainBench.tokenRuntimeHex)
        // As many as the block's gas (22,200 a fresh slot) and bytes (67 a holder) allow.
        let byBytes = (profile.maxTransactionBytes - runtime.count - 1_024) / 67
        let holders = keys.prefix(min(keys.count, Int((profile.maxBlockGasLimit - 200_000) / 22_200), byBytes))
        for k in holders {
            initCode += [0x7f] + UInt256(1_000_000_000_000).bigEndianBytes + [0x7f] + ChainBench.tokenBalanceSlot(k.address).bytes + [0x55]
        }
        let header = initCode.count + 14
        initCode += [0x61, UInt8(runtime.count >> 8), UInt8(runtime.count & 0xff), 0x80, 0x61, UInt8(header >> 8), UInt8(header & 0xff),
                     0x60, 0x00, 0x39, 0x60, 0x00, 0xf3]
        initCode += [0x00] + runtime
        try produceAll([try signed(keys[0], to: nil, gas: profile.maxBlockGasLimit - 50_000, data: initCode)])
        // Holders past what one constructor can fund get theirs from the first holder.
        try produceAll(keys.dropFirst(holders.count).map { k in
            try signed(keys[0], to: token, gas: 100_000, data: ChainBench.transferCall(to: k.address, amount: 1_000_000_000))
        })
    }

    /// Measures blocks of transfers: every holder sends two to random holders.
    func measure() throws -> JSON {
        var rng = SystemRandomNumberGenerator()
        var transfersToSend = [Transaction]()
        for round in 0..<2 {
            for (i, k) in keys.enumerated() {
                let to = keys[(i + Int.random(in: 1..<keys.count, using: &rng)) % keys.count].address
                transfersToSend.append(try signed(k, to: token, gas: 100_000, data: ChainBench.transferCall(to: to, amount: UInt64(1 + round))))
            }
        }
        for tx in transfersToSend { try pool.add(tx, state: child.state(at: child.head), head: child.head) }
        // Half a round of transfers is kept back for the dispute.
        var buildSeconds = 0.0, commitGas: UInt64 = 0, transfers = 0, blocks = 0, witness = 0
        var bound = [String: Int]()
        while pool.count > keys.count / 2 {
            let parent = child.head
            let start = Date()
            guard let (built, _) = try producer.nextBlock(at: parent.timestamp + profile.blockIntervalSeconds) else {
                throw BenchError.appChain("the producer made no block with \(pool.count) transfers waiting")
            }
            _ = try child.importBlock(built, sealed: built.block)
            buildSeconds += Date().timeIntervalSince(start)
            witness += check.witnessBytes(of: built.block, parent: parent, store: child.state(at: parent).store, ancestorHashes: ancestors(of: parent))
            commitGas += try commit(built.block)
            transfers += built.block.transactions.count
            blocks += 1
            if pool.count > 0 { bound[limitReached(built.block), default: 0] += 1 }
        }
        let perBlock = Double(transfers) / Double(max(blocks, 1))
        let cpuRate = Double(transfers) / max(buildSeconds, 1e-9)
        let blockSeconds = buildSeconds / Double(max(blocks, 1))
        let (calldata, disputeGas, disputeSeconds) = try largestDispute()
        let gasBound = AppChainRoot.disputeGas(gasLimit: profile.maxBlockGasLimit, transactions: profile.maxTransactionBytes / 100,
                                               witnessBytes: profile.maxWitnessBytes + 24_640, witnessBlobs: (profile.maxWitnessBytes + 24_640) / 96)
            &+ AppChainRoot.disputeOverheadGas(number: AppChainRoot.blockHashWindow) &+ 21_000 &+ 16 &* UInt64(Transaction.maxEncodedSize)
        return [
            "profile": .string(profile.rawValue), "interval_seconds": .int(clamping: profile.blockIntervalSeconds),
            "max_gas": .int(clamping: profile.maxBlockGasLimit), "blocks": .int(clamping: blocks), "transfers_per_block": .double(perBlock),
            "bound": .string(bound.max { $0.value < $1.value }?.key ?? "none"),
            "cpu_tx_per_second": .double(cpuRate), "cpu_blocks_per_second": .double(1 / max(blockSeconds, 1e-9)),
            "tx_per_second_at_interval": .double(perBlock / max(Double(profile.blockIntervalSeconds), blockSeconds)),
            "commit_gas_per_block": .double(Double(commitGas) / Double(max(blocks, 1))),
            "commit_gas_per_tx": .double(Double(commitGas) / Double(max(transfers, 1))),
            "witness_bytes_per_block": .double(Double(witness) / Double(max(blocks, 1))),
            "dispute_calldata_bytes": .int(clamping: calldata), "dispute_gas": .int(clamping: disputeGas), "dispute_seconds": .double(disputeSeconds),
            "dispute_gas_bound": .int(clamping: gasBound),
        ]
    }

    /// Which of the profile's bounds ended `block` (one that left transfers waiting): gas, bytes or witness.
    private func limitReached(_ block: Block) -> String {
        if block.header.gasLimit - block.header.gasUsed < 100_000 { return "gas" }
        if block.transactions.reduce(0, { $0 + $1.encoded.count }) > profile.maxTransactionBytes - 300 { return "bytes" }
        return "witness"
    }

    /// A full block with a forged state root, committed and disputed: its calldata, gas and time.
    private func largestDispute() throws -> (calldata: Int, gas: UInt64, seconds: Double) {
        guard let (built, _) = try producer.nextBlock(at: child.head.timestamp + profile.blockIntervalSeconds) else {
            throw BenchError.appChain("no block to dispute")
        }
        var forged = built.block
        forged.header.stateRoot = Keccak256.h256([0xba, 0xd])
        let parent = child.head
        _ = try commit(forged)
        let full = check.witness(for: forged, parent: parent, store: child.state(at: parent).store, ancestorHashes: ancestors(of: parent))
        let witness = check.disputeWitness(for: forged, parent: parent, witness: full, ancestorHashes: ancestors(of: parent))
        let input = try ABI.encodeCall("challenge(uint256,bytes,bytes,bytes[])",
                                       [.uint(UInt256(forged.header.number)), .bytes(parent.encoded), .bytes(forged.encoded), .array(witness.map { .bytes($0) })])
        let start = Date()
        let result = try send(challenger, root, "challenge(uint256,bytes,bytes,bytes[])",
                              [.uint(UInt256(forged.header.number)), .bytes(parent.encoded), .bytes(forged.encoded), .array(witness.map { .bytes($0) })])
        let seconds = Date().timeIntervalSince(start)
        guard result.logs.count == 1 else { throw BenchError.appChain("the dispute of a forged block did not slash") }
        return (input.count, result.gasUsed &+ 21_000 &+ Self.calldataGas(input), seconds)
    }

    /// Puts `txs` in the pool and has the producer make, and the root commit, blocks until every one is in.
    private func produceAll(_ txs: [Transaction]) throws {
        for tx in txs { try pool.add(tx, state: child.state(at: child.head), head: child.head) }
        while pool.count > 0 {
            guard let (built, _) = try producer.nextBlock(at: child.head.timestamp + profile.blockIntervalSeconds) else {
                throw BenchError.appChain("set-up: the producer made no block with \(pool.count) transactions waiting")
            }
            _ = try child.importBlock(built, sealed: built.block)
            try commit(built.block)
        }
    }

    /// Commits `block` (the head's deposits count and hash) as the operator's transaction; the main-chain gas it costs.
    @discardableResult
    private func commit(_ block: Block) throws -> UInt64 {
        let state = child.state(at: child.head)
        let args: [ABIValue] = [.bytes(block.encoded), .uint(UInt256(try AppChainBridge.depositsApplied(state: state))),
                                .fixedBytes(try AppChainBridge.depositsHash(state: state).bytes)]
        let result = try send(op, root, "commitBlock(bytes,uint256,bytes32)", args)
        return result.gasUsed &+ 21_000 &+ Self.calldataGas(try ABI.encodeCall("commitBlock(bytes,uint256,bytes32)", args))
    }

    static func calldataGas(_ data: [UInt8]) -> UInt64 { data.reduce(0) { $0 &+ ($1 == 0 ? 4 : 16) } }

    private func ancestors(of header: BlockHeader) -> [UInt64: H256] {
        Dictionary(child.ancestors(of: header, count: 256).map { ($0.number, $0.hash) }, uniquingKeysWith: { a, _ in a })
    }

    private func signed(_ key: PrivateKey, to: Address?, gas: UInt64, data: [UInt8]) throws -> Transaction {
        let n = nonces[key.address, default: 0]
        nonces[key.address] = n + 1
        // The operator's relays offer twice the next base fee, as its node's do (nothing while it is zero); holders a gwei.
        let fee = key.address == op.address ? BaseFee.next(after: child.head) &* UInt256(2) : UInt256(1_000_000_000)
        return try Transaction.dynamicFee(chainID: Self.chainID, nonce: n, maxPriorityFeePerGas: .zero, maxFeePerGas: fee,
                                          gasLimit: gas, to: to, value: .zero, data: data).signed(with: key)
    }

    /// A main-chain call as a transaction makes it (value first, everything undone on failure).
    @discardableResult
    private func send(_ from: PrivateKey, _ to: Address, _ signature: String, _ args: [ABIValue], value: UInt256 = .zero) throws -> SystemCallResult {
        guard let contract = contracts.contract(at: to) else { throw BenchError.appChain("no system contract at \(to)") }
        now += 12
        let mark = main.snapshot()
        do {
            try main.subtractBalance(from.address, value)
            try main.addBalance(to, value)
            let context = BlockContext(chainID: 7331, coinbase: .zero, number: now / 12, timestamp: now, gasLimit: 30_000_000, baseFee: .zero)
            return try contract.call(SystemCall(address: to, caller: from.address, value: value, input: ABI.encodeCall(signature, args),
                                                gasAvailable: 30_000_000, block: context), state: main)
        } catch {
            main.revert(to: mark)
            throw error
        }
    }
}
