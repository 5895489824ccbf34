import AnkrPrimitives
import AnkrTrie
import XCTest

/// The witness store meters what execution reads: distinct blobs, at their ABI size, until the first miss.
final class WitnessNodeStoreTests: XCTestCase {
    func testReadsAreMeteredOnceEachAtTheirABISizeUntilTheFirstMiss() throws {
        let a = [UInt8](repeating: 1, count: 33), b = [UInt8](repeating: 2, count: 64), c = [UInt8](repeating: 3, count: 1)
        let store = WitnessNodeStore([a, b, c, a])
        XCTAssertEqual(WitnessNodeStore.abiCost(ofBlobOf: 0), 64)
        XCTAssertEqual(WitnessNodeStore.abiCost(ofBlobOf: 33), 128)
        XCTAssertEqual(try store.node(Keccak256.h256(a)), a)
        XCTAssertEqual(try store.node(Keccak256.h256(a)), a, "a second read is free")
        XCTAssertEqual(store.servedBytes, 128)
        let written = [UInt8](repeating: 9, count: 40)
        try store.put(Keccak256.h256(written), written)
        XCTAssertEqual(try store.node(Keccak256.h256(written)), written)
        XCTAssertEqual(store.servedBytes, 128 + 128, "execution's own writes count when read: a challenger could supply them too")
        XCTAssertNil(try store.node(Keccak256.h256([7])))
        XCTAssertEqual(store.firstMissing, Keccak256.h256([7]))
        XCTAssertEqual(try store.node(Keccak256.h256(b)), b, "served after the miss")
        XCTAssertEqual(store.servedBytes, 256, "but not counted: what follows a miss may not be the block's execution")
    }
}
