import AnkrEVM
import AnkrPrimitives
import XCTest

final class InMemoryEVMStateTests: XCTestCase {
    private let a = try! Address(hex: "0x00000000000000000000000000000000000000aa")
    private let b = try! Address(hex: "0x00000000000000000000000000000000000000bb")

    func testRevertRestoresSlotsAccountsAndStorageFlags() {
        let state = InMemoryEVMState()
        state.setAccount(a, EVMAccount(nonce: 1))
        state.setStorage(a, UInt256(1), UInt256(10))
        state.beginTransaction()
        let mark = state.snapshot()
        state.setStorage(a, UInt256(1), .zero)
        state.setStorage(b, UInt256(2), UInt256(20))
        state.setAccount(a, EVMAccount(nonce: 2))
        XCTAssertFalse(state.hasStorage(a))
        XCTAssertTrue(state.hasStorage(b))
        XCTAssertEqual(state.storages, [b: [UInt256(2): UInt256(20)]])
        state.revert(to: mark)
        XCTAssertEqual(state.storage(a, UInt256(1)), UInt256(10))
        XCTAssertEqual(state.storage(b, UInt256(2)), .zero)
        XCTAssertTrue(state.hasStorage(a))
        XCTAssertFalse(state.hasStorage(b))
        XCTAssertEqual(state.account(a)?.nonce, 1)
        XCTAssertEqual(state.storages, [a: [UInt256(1): UInt256(10)]])
        XCTAssertEqual(state.accounts, [a: EVMAccount(nonce: 1)])
    }

    func testOriginalsAreTheValuesWhenEachTransactionStarted() {
        let state = InMemoryEVMState()
        state.setStorage(a, UInt256(1), UInt256(5))
        state.beginTransaction()
        XCTAssertEqual(state.originalStorage(a, UInt256(1)), UInt256(5))
        state.setStorage(a, UInt256(1), UInt256(6))
        state.setStorage(a, UInt256(1), UInt256(7))
        XCTAssertEqual(state.originalStorage(a, UInt256(1)), UInt256(5))
        XCTAssertEqual(state.originalStorage(a, UInt256(9)), .zero)
        state.beginTransaction()
        XCTAssertEqual(state.originalStorage(a, UInt256(1)), UInt256(7), "the next transaction starts from the last value")
        state.setStorage(a, UInt256(1), .zero)
        state.revert(to: 0)
        XCTAssertEqual(state.storage(a, UInt256(1)), UInt256(7))
        XCTAssertEqual(state.originalStorage(a, UInt256(1)), UInt256(7))
    }

    func testDestroyClearsOnlyThatAccountAndIsUndone() {
        let state = InMemoryEVMState()
        state.setAccount(a, EVMAccount(balance: UInt256(3), code: [0x00]))
        state.setAccount(b, EVMAccount(nonce: 1))
        for k in UInt64(0)..<100 {
            state.setStorage(a, UInt256(k), UInt256(k + 1))
            state.setStorage(b, UInt256(k), UInt256(k + 2))
        }
        state.beginTransaction()
        state.destroy(a)
        XCTAssertNil(state.account(a))
        XCTAssertFalse(state.hasStorage(a))
        XCTAssertEqual(state.storage(a, UInt256(5)), .zero)
        XCTAssertEqual(state.storage(b, UInt256(5)), UInt256(7))
        XCTAssertEqual(state.storages[b]?.count, 100)
        XCTAssertNil(state.storages[a])
        state.revert(to: 0)
        XCTAssertEqual(state.storage(a, UInt256(99)), UInt256(100))
        XCTAssertEqual(state.account(a)?.code, [0x00])
        XCTAssertTrue(state.hasStorage(a))
    }

    func testCodeHashFollowsCodeChangesAndReverts() {
        let state = InMemoryEVMState()
        let empty = Keccak256.word([UInt8]())
        XCTAssertEqual(state.codeHash(a), empty, "no account: the hash of no code")
        state.setAccount(a, EVMAccount(code: [0x60, 0x01]))
        XCTAssertEqual(state.codeHash(a), Keccak256.word([0x60, 0x01]))
        XCTAssertEqual(state.code(a), [0x60, 0x01])
        let mark = state.snapshot()
        state.setAccount(a, EVMAccount(balance: UInt256(9), code: [0x60, 0x01]))
        XCTAssertEqual(state.codeHash(a), Keccak256.word([0x60, 0x01]), "a balance change keeps the hash")
        state.setAccount(a, EVMAccount(code: [0x00]))
        XCTAssertEqual(state.codeHash(a), Keccak256.word([0x00]))
        state.revert(to: mark)
        XCTAssertEqual(state.codeHash(a), Keccak256.word([0x60, 0x01]))
        state.setAccount(a, nil)
        XCTAssertEqual(state.codeHash(a), empty)
        XCTAssertEqual(state.code(b), [])
    }

    func testManyFreshSlotsOfManyAccountsReadBack() throws {
        let state = InMemoryEVMState()
        var addresses: [Address] = []
        for i in 0..<64 { addresses.append(try Address([UInt8](repeating: 0, count: 19) + [UInt8(i)])) }
        for (i, addr) in addresses.enumerated() {
            for k in 0..<200 { state.setStorage(addr, UInt256.one.shiftedLeft(k), UInt256(UInt64(i * 1_000 + k + 1))) }
        }
        for (i, addr) in addresses.enumerated() {
            for k in 0..<200 { XCTAssertEqual(state.storage(addr, UInt256.one.shiftedLeft(k)), UInt256(UInt64(i * 1_000 + k + 1))) }
        }
        XCTAssertEqual(state.storages.count, 64)
    }
}
