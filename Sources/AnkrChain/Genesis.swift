import AnkrPrimitives
import AnkrTrie

/// A genesis file in go-ethereum's JSON format, so an existing geth genesis works as it is.
public struct Genesis: Sendable {
    public struct Allocation: Hashable, Sendable {
        public var balance: UInt256
        public var nonce: UInt64
        public var code: [UInt8]
        public var storage: [H256: UInt256]

        public init(balance: UInt256, nonce: UInt64 = 0, code: [UInt8] = [], storage: [H256: UInt256] = [:]) {
            self.balance = balance; self.nonce = nonce; self.code = code; self.storage = storage
        }
    }

    public var chainID: UInt64
    public var parameters: ChainParameters
    public var gasLimit: UInt64
    public var baseFeePerGas: UInt256
    public var difficulty: UInt256
    public var timestamp: UInt64
    public var extraData: [UInt8]
    public var coinbase: Address
    public var alloc: [Address: Allocation]

    public init(chainID: UInt64, parameters: ChainParameters = ChainParameters(), gasLimit: UInt64 = 30_000_000,
                baseFeePerGas: UInt256 = UInt256(1_000_000_000), difficulty: UInt256 = .one, timestamp: UInt64 = 0,
                extraData: [UInt8] = [], coinbase: Address = .zero, alloc: [Address: Allocation] = [:]) {
        self.chainID = chainID; self.parameters = parameters; self.gasLimit = gasLimit; self.baseFeePerGas = baseFeePerGas
        self.difficulty = difficulty; self.timestamp = timestamp; self.extraData = extraData; self.coinbase = coinbase
        self.alloc = alloc
    }

    /// Writes the allocations and the system-contract accounts into `state`, commits, and returns
    /// the genesis block.
    public func block(state: WorldState, systemContracts: SystemContractRegistry = SystemContractRegistry()) throws -> Block {
        // A family's base address answers nothing (its members are marked when created).
        for contract in systemContracts.all where alloc[contract.address] == nil && contract.handles(contract.address) {
            try state.setNonce(contract.address, 1)
            try state.setCode(contract.address, SystemContractRegistry.markerCode)
        }
        for (address, a) in alloc.sorted(by: { $0.key < $1.key }) {
            try state.setBalance(address, a.balance)
            if a.nonce != 0 { try state.setNonce(address, a.nonce) }
            if !a.code.isEmpty { try state.setCode(address, a.code) }
            for (slot, v) in a.storage { try state.setStorage(address, slot: slot, v) }
        }
        let root = try state.commit()
        let header = BlockHeader(
            parentHash: .zero, coinbase: coinbase, stateRoot: root, transactionsRoot: MerklePatriciaTrie.emptyRoot,
            receiptsRoot: MerklePatriciaTrie.emptyRoot, logsBloom: .empty, difficulty: difficulty, number: 0,
            gasLimit: gasLimit, gasUsed: 0, timestamp: timestamp, extraData: extraData, baseFeePerGas: baseFeePerGas,
            childChainsRoot: .zero)
        return Block(header: header, transactions: [])
    }
}

