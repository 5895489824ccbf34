@testable import AnkrEVM
import AnkrPrimitives
import AnkrTestSupport
import XCTest

final class StateTableTests: XCTestCase {
    private func slot(_ owner: UInt32, _ key: UInt256) -> StorageSlotKey { StorageSlotKey(owner: owner, key: key) }

    func testEntriesKeepTheirIndexWhileTheIndexGrows() {
        var table = StateTable<StorageSlotKey, Int>()
        var rng = SplitMix64(seed: 3)
        var keys: [StorageSlotKey] = []
        for i in 0..<5_000 {
            let key = slot(UInt32(i % 7), UInt256(w0: rng.next(), w1: rng.next(), w2: 0, w3: rng.next()))
            XCTAssertEqual(table.findOrInsert(key) { i }, i)
            keys.append(key)
        }
        XCTAssertEqual(table.count, 5_000)
        for (i, key) in keys.enumerated() {
            XCTAssertEqual(table.find(key), i)
            XCTAssertEqual(table.values[i], i)
            XCTAssertEqual(table.findOrInsert(key) { -1 }, i, "an existing key is found, not added again")
        }
        XCTAssertEqual(table.count, 5_000)
        XCTAssertNil(table.find(slot(7, .zero)))
    }

    func testTheSameSlotOfDifferentOwnersAndNeighbouringSlotsAreDistinct() {
        var table = StateTable<StorageSlotKey, Int>()
        for owner in UInt32(0)..<50 {
            for k in UInt64(0)..<50 { _ = table.findOrInsert(slot(owner, UInt256(k))) { Int(owner) * 100 + Int(k) } }
        }
        for owner in UInt32(0)..<50 {
            for k in UInt64(0)..<50 {
                guard let e = table.find(slot(owner, UInt256(k))) else { return XCTFail("slot \(k) of \(owner) lost") }
                XCTAssertEqual(table.values[e], Int(owner) * 100 + Int(k))
            }
        }
    }

    /// Keys a program could pick knowing the seed so that they all hash alike (the zero seed makes a zero low limb
    /// cancel the next one): the table gets slow for them but still stores and finds every one.
    func testKeysThatAllCollideAreStillAllKept() {
        var table = StateTable<StorageSlotKey, Int>(seed: StateTableSeed(k0: 0, k1: 0, k2: 0, k3: 0))
        var keys: [StorageSlotKey] = []
        for i in 0..<2_000 {
            keys.append(slot(0, UInt256(w0: 0, w1: UInt64(i) << 20 | 1, w2: 5, w3: 1 << 63)))
        }
        let hashes = Set(keys.map { $0.hash(StateTableSeed(k0: 0, k1: 0, k2: 0, k3: 0)) })
        XCTAssertEqual(hashes.count, 1, "the keys do collide under this seed")
        XCTAssertNotEqual(Set(keys.map { $0.hash(StateTableSeed()) }).count, 1, "but not under a random one")
        for (i, k) in keys.enumerated() { XCTAssertEqual(table.findOrInsert(k) { i }, i) }
        for (i, k) in keys.enumerated() { XCTAssertEqual(table.find(k), i) }
    }

    func testAddressesAreKeyedByAllTwentyBytes() throws {
        var table = StateTable<AddressWords, Int>()
        var addresses: [Address] = []
        for i in 0..<20 {
            var bytes = [UInt8](repeating: 0, count: 20)
            bytes[i] = 1
            addresses.append(try Address(bytes))
        }
        for (i, a) in addresses.enumerated() { XCTAssertEqual(table.findOrInsert(AddressWords(a)) { i }, i) }
        for (i, a) in addresses.enumerated() { XCTAssertEqual(table.find(AddressWords(a)), i) }
        XCTAssertNil(table.find(AddressWords(.zero)))
    }
}
