import AnkrPrimitives

/// Metered access to a system contract's own storage trie, with the gas it has charged so far.
///
/// Prices follow Ethereum so a native contract costs what the same logic would in Solidity:
/// reading a word 2,100 (a cold SLOAD), writing 20,000 when a zero word becomes non-zero and 2,900
/// otherwise (EIP-2929/2200 without refunds). Byte blobs (modules, inputs, outputs) are priced like
/// contract code: 200 gas per byte stored (the CREATE deposit), 3 per byte read (a copy).
public struct SystemStorage {
    public static let readWordGas: UInt64 = 2_100
    public static let setWordGas: UInt64 = 20_000
    public static let updateWordGas: UInt64 = 2_900
    public static let blobByteGas: UInt64 = 200
    public static let readBlobByteGas: UInt64 = 3

    public let state: WorldState
    public let address: Address
    public let gasLimit: UInt64
    public private(set) var gasUsed: UInt64 = 0

    public init(state: WorldState, address: Address, gasLimit: UInt64) {
        self.state = state; self.address = address; self.gasLimit = gasLimit
    }

    /// Charges `gas`, throwing ``SystemCallError/outOfGas`` past the limit.
    public mutating func charge(_ gas: UInt64) throws {
        let (total, overflow) = gasUsed.addingReportingOverflow(gas)
        guard !overflow, total <= gasLimit else { throw SystemCallError.outOfGas }
        gasUsed = total
    }

    /// A slot derived from a key path, like a Solidity mapping: keccak256 of the 32-byte words.
    public static func slot(_ parts: UInt256...) -> UInt256 {
        UInt256(bigEndian: Keccak256.hash(parts.flatMap(\.bigEndianBytes))) ?? .zero
    }

    public mutating func word(_ slot: UInt256) throws -> UInt256 {
        try charge(Self.readWordGas)
        return try read(slot)
    }

    public mutating func setWord(_ slot: UInt256, _ value: UInt256) throws {
        let old = try read(slot)
        try charge(old.isZero && !value.isZero ? Self.setWordGas : Self.updateWordGas)
        try state.setStorage(address, slot: Self.key(slot), value)
    }

    public mutating func address(_ slot: UInt256) throws -> Address {
        let bytes = try word(slot).bigEndianBytes
        return try Address(Array(bytes.suffix(20)))
    }

    public mutating func setAddress(_ slot: UInt256, _ value: Address) throws {
        try setWord(slot, value.word)
    }

    public mutating func hash(_ slot: UInt256) throws -> H256 {
        H256(word: try word(slot))
    }

    public mutating func setHash(_ slot: UInt256, _ value: H256) throws {
        try setWord(slot, UInt256(bigEndian: value.bytes) ?? .zero)
    }

    /// A byte string: its length at `slot`, its bytes in the words from keccak256(slot) on.
    public mutating func blob(_ slot: UInt256) throws -> [UInt8] {
        let length = try word(slot)
        guard let count = length.uint64, count <= UInt64(Int32.max) else { throw SystemCallError.badArguments("corrupt blob length") }
        try charge(UInt64(count) * Self.readBlobByteGas)
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(count))
        let base = Self.slot(slot)
        var i = UInt256.zero
        while bytes.count < Int(count) {
            let word = try read(base &+ i).bigEndianBytes
            bytes += word.prefix(Int(count) - bytes.count)
            i = i &+ .one
        }
        return bytes
    }

    /// Stores a byte string, zeroing words an older, longer one left behind.
    public mutating func setBlob(_ slot: UInt256, _ bytes: [UInt8]) throws {
        let oldCount = try read(slot).uint64.map { Int(min($0, UInt64(Int32.max))) } ?? 0
        try charge(UInt64(bytes.count) * Self.blobByteGas + Self.updateWordGas)
        try state.setStorage(address, slot: Self.key(slot), UInt256(bytes.count))
        let base = Self.slot(slot)
        let words = (bytes.count + 31) / 32, oldWords = (oldCount + 31) / 32
        for w in 0..<max(words, oldWords) {
            var chunk = [UInt8](repeating: 0, count: 32)
            if w < words {
                let part = bytes[(w * 32)..<min(bytes.count, w * 32 + 32)]
                chunk.replaceSubrange(0..<part.count, with: part)
            }
            try state.setStorage(address, slot: Self.key(base &+ UInt256(w)), UInt256(bigEndian: chunk) ?? .zero)
        }
    }

    private func read(_ slot: UInt256) throws -> UInt256 {
        try state.storage(address, slot: Self.key(slot))
    }

    private static func key(_ slot: UInt256) -> H256 {
        H256(word: slot)
    }
}
