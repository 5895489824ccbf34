import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// The access list `eth_createAccessList` grows: accounts and their storage slots, kept sorted so equal
/// lists compare equal and the answer does not depend on the order the EVM touched them in.
struct DebugAccessList: Equatable {
    private(set) var slots: [Address: Set<H256>] = [:]

    /// A caller's starting list. As geth, an account the transaction warms anyway is dropped unless it
    /// comes with slots (the slots of the sender or recipient are still worth listing).
    init(_ entries: [AccessListEntry], excluding excluded: Set<Address>) {
        for e in entries where !(excluded.contains(e.address) && e.storageKeys.isEmpty) {
            slots[e.address, default: []].formUnion(e.storageKeys)
        }
    }

    /// Adds what a tracer recorded (it leaves out the excluded accounts itself, but not their slots).
    mutating func add(_ touched: [(Address, [UInt256])]) {
        for (address, keys) in touched {
            slots[address, default: []].formUnion(keys.map { H256(word: $0) })
        }
    }

    /// The list as a transaction carries it: accounts and slots in ascending order.
    var entries: [AccessListEntry] {
        slots.keys.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }.map { address in
            AccessListEntry(address: address, storageKeys: (slots[address] ?? []).sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) })
        }
    }

    /// The JSON of the spec's `AccessList`.
    var json: JSON {
        .array(entries.map { ["address": .string($0.address.checksummed), "storageKeys": .array($0.storageKeys.map { .string($0.description) })] })
    }
}
