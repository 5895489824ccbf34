@testable import AnkrEVM
import AnkrPrimitives
import XCTest

/// The interpreter's fast path (issue 23): the padded code and its JUMPDEST bitmap, the stack limits checked once
/// per instruction, PUSH operands read from the padded code, memory copies, the journal that undoes warm slots and
/// transient storage, and the code cache.
final class InterpreterTests: XCTestCase {
    let contract = (try? Address(hex: "0x000000000000000000000000000000000000c0de")) ?? .zero
    let child = (try? Address(hex: "0x000000000000000000000000000000000000c1d0")) ?? .zero
    let caller = (try? Address(hex: "0x000000000000000000000000000000000000cafe")) ?? .zero

    func evm(_ codes: [Address: [UInt8]]) -> EVM {
        let state = InMemoryEVMState()
        for (a, c) in codes { state.setAccount(a, EVMAccount(code: c)) }
        state.beginTransaction()
        return EVM(state: state, block: BlockEnvironment(chainID: 1, coinbase: .zero, number: 1, timestamp: 1, gasLimit: 30_000_000, baseFee: .zero),
                   tx: TransactionEnvironment(origin: caller, gasPrice: .zero))
    }

    func run(_ evm: EVM, gas: UInt64 = 1_000_000) -> FrameResult {
        evm.call(EVM.Message(caller: caller, codeAddress: contract, target: contract, value: .zero, transfersValue: false, input: [], gas: gas,
                             isStatic: false, depth: 0))
    }

    func run(_ code: [UInt8], gas: UInt64 = 1_000_000) -> FrameResult { run(evm([contract: code]), gas: gas) }

    /// Code that returns the top word: `MSTORE(0, top); RETURN(0, 32)`.
    static let returnTop: [UInt8] = [0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]

    func testJumpdestsInsidePushDataAndPastTheEndAreNotJumpdests() {
        // PUSH2 0x5b5b; JUMPDEST; PUSH32 whose data runs past the end with a 0x5b in it.
        let a = CodeAnalysis([0x61, 0x5b, 0x5b, 0x5b, 0x7f, 0x5b])
        XCTAssertEqual((0..<8).map { a.isJumpdest(UInt64($0)) }, [false, false, false, true, false, false, false, false])
        XCTAssertFalse(a.isJumpdest(.max))
        // The code, then zeros: STOP after the end, zero PUSH data past it.
        XCTAssertEqual((0..<(6 + CodeAnalysis.padding)).map { a.bytes[$0] }, [0x61, 0x5b, 0x5b, 0x5b, 0x7f, 0x5b] + [UInt8](repeating: 0, count: CodeAnalysis.padding))
        // A bitmap longer than one word: a JUMPDEST at offset 200.
        let long = CodeAnalysis([UInt8](repeating: 0x5f, count: 200) + [0x5b])
        XCTAssertTrue(long.isJumpdest(200))
        XCTAssertFalse(long.isJumpdest(199))
        XCTAssertFalse(long.isJumpdest(201))
    }

    func testEveryPushReadsItsOperandBigEndianAndZerosPastTheEnd() {
        for n in 1...32 {
            let operand = (1...n).map { UInt8($0) }
            let r = run([UInt8(0x5f + n)] + operand + Self.returnTop)
            XCTAssertEqual(r.output, [UInt8](repeating: 0, count: 32 - n) + operand, "PUSH\(n)")
        }
        // A truncated PUSH4 at the end reads the missing bytes as zeros and then stops; a jump lands only on a JUMPDEST.
        XCTAssertEqual(run([0x63, 0xab, 0xcd]).status, .success)
        XCTAssertEqual(run([0x60, 0x06, 0x56, 0x00, 0x00, 0x00, 0x5b]).status, .success)
        XCTAssertEqual(run([0x60, 0x05, 0x56, 0x00, 0x00, 0x00, 0x5b]).status, .failure("bad jump destination"))
    }

    func testStackLimitsAreCheckedBeforeTheOpcodeRuns() {
        XCTAssertEqual(run([UInt8](repeating: 0x5f, count: 1_024)).status, .success)
        XCTAssertEqual(run([UInt8](repeating: 0x5f, count: 1_025)).status, .failure("stack overflow"))
        XCTAssertEqual(run([UInt8](repeating: 0x5f, count: 1_024) + [0x80]).status, .failure("stack overflow"))
        XCTAssertEqual(run([UInt8](repeating: 0x5f, count: 1_023) + [0x8f]).status, .success)
        XCTAssertEqual(run([0x5f, 0x01]).status, .failure("stack underflow"))
        XCTAssertEqual(run([UInt8](repeating: 0x5f, count: 16) + [0x9f]).status, .failure("stack underflow"))
        XCTAssertEqual(run([UInt8](repeating: 0x5f, count: 17) + [0x9f]).status, .success)
        // Static gas is charged before the stack is checked, as before: ADD on an empty stack with 2 gas is out of gas.
        XCTAssertEqual(run([0x01], gas: 2).status, .failure("out of gas"))
        XCTAssertEqual(run([0x01], gas: 3).status, .failure("stack underflow"))
    }

    func testSwapAndDupReachTheRightWords() {
        // PUSH1 1..17, SWAP16 puts 1 on top; DUP16 of the result copies 2.
        let pushes = (1...17).flatMap { [UInt8(0x60), UInt8($0)] }
        XCTAssertEqual(run(pushes + [0x9f] + Self.returnTop).output.last, 1)
        XCTAssertEqual(run(pushes + [0x8f] + Self.returnTop).output.last, 2)
    }

    func testMcopyWithOverlappingRangesCopiesAsIfThroughABuffer() {
        // mem[0..32] = 0x0102…20; MCOPY(dest 1, src 0, 32); return mem[0..33].
        let word = (1...32).map { UInt8($0) }
        let code: [UInt8] = [0x7f] + word + [0x5f, 0x52, 0x60, 0x20, 0x5f, 0x60, 0x01, 0x5e, 0x60, 0x21, 0x5f, 0xf3]
        XCTAssertEqual(run(code).output, [1] + word)
        // And backwards: MCOPY(dest 0, src 1, 32) after the same store.
        let back: [UInt8] = [0x7f] + word + [0x5f, 0x52, 0x60, 0x20, 0x60, 0x01, 0x5f, 0x5e, 0x60, 0x20, 0x5f, 0xf3]
        XCTAssertEqual(run(back).output, Array(word.dropFirst()) + [0])
    }

    func testCalldataloadPastTheEndReadsZeros() {
        let state = InMemoryEVMState()
        state.setAccount(contract, EVMAccount(code: [0x60, 0x02, 0x35] + Self.returnTop))
        state.beginTransaction()
        let evm = EVM(state: state, block: BlockEnvironment(chainID: 1, coinbase: .zero, number: 1, timestamp: 1, gasLimit: 30_000_000, baseFee: .zero),
                      tx: TransactionEnvironment(origin: caller, gasPrice: .zero))
        let input = (1...40).map { UInt8($0) }
        let r = evm.call(EVM.Message(caller: caller, codeAddress: contract, target: contract, value: .zero, transfersValue: false, input: input, gas: 100_000,
                                     isStatic: false, depth: 0))
        XCTAssertEqual(r.output, Array(input[2...33]))
        let short = evm.call(EVM.Message(caller: caller, codeAddress: contract, target: contract, value: .zero, transfersValue: false, input: Array(input[0..<10]),
                                         gas: 100_000, isStatic: false, depth: 0))
        XCTAssertEqual(short.output, Array(input[2..<10]) + [UInt8](repeating: 0, count: 24))
    }

    /// The child, run by DELEGATECALL on the parent's storage, SLOADs slot 7 and TSTOREs 5 into slot 1, then reverts;
    /// the parent then SLOADs slot 7 and reads transient slot 1. The revert must cool the slot again (2,100 gas)
    /// and take back the transient write.
    func testARevertedCallTakesBackWarmSlotsAndTransientStorage() {
        // Child: SLOAD(7); POP; TSTORE(1, 5); REVERT(0, 0).
        let childCode: [UInt8] = [0x60, 0x07, 0x54, 0x50, 0x60, 0x05, 0x60, 0x01, 0x5d, 0x5f, 0x5f, 0xfd]
        // Parent: TSTORE(1, 9); DELEGATECALL(gas, child, 0, 0, 0, 0); POP; GAS; SLOAD(7); POP; GAS; SWAP1; SUB (the
        // SLOAD's cost plus PUSH1's 3 and POP's 2 and GAS's 2); MSTORE at 0; TLOAD(1); MSTORE at 32; RETURN(0, 64).
        let parent: [UInt8] = [0x60, 0x09, 0x60, 0x01, 0x5d,
                               0x5f, 0x5f, 0x5f, 0x5f, 0x61, 0xc1, 0xd0, 0x5a, 0xf4, 0x50,
                               0x5a, 0x60, 0x07, 0x54, 0x50, 0x5a, 0x90, 0x03, 0x5f, 0x52,
                               0x60, 0x01, 0x5c, 0x60, 0x20, 0x52, 0x60, 0x40, 0x5f, 0xf3]
        let r = run(evm([contract: parent, child: childCode]))
        XCTAssertEqual(r.status, .success)
        XCTAssertEqual(UInt256(bigEndian: r.output[0..<32]), UInt256(3 + 2_100 + 2 + 2))
        XCTAssertEqual(UInt256(bigEndian: r.output[32..<64]), UInt256(9))
    }

    func testACodeBufferIsAnalysedOncePerTransaction() {
        let code: [UInt8] = [0x5b, 0x00]
        let e = evm([:])
        XCTAssertTrue(e.analysis(of: code) === e.analysis(of: code))
        // Equal bytes in another buffer get their own (equal) analysis: identity, not content, is the key.
        let copy = Array(code[...])
        XCTAssertEqual(e.analysis(of: copy).code, code)
    }

    func testSlotKeysChosenToCancelTheirAddressDoNotHashAlike() throws {
        // For each address A the slot made of A's own three words: when the hash folded the address into the slot
        // (key ^ address), all of these hashed as the zero key, one probe run for every warm-slot lookup.
        var hashes = Set<Int>(), keys = Set<EVM.SlotKey>()
        for i in 1...2_000 {
            let address = try Address(Array(Keccak256.hash(Array("address-\(i)".utf8)).suffix(20)))
            let words = EVM.SlotKey(address, .zero)
            let key = EVM.SlotKey(address, UInt256(w0: words.a0, w1: words.a1, w2: words.a2, w3: 0))
            hashes.insert(key.hashValue)
            keys.insert(key)
        }
        XCTAssertEqual(keys.count, 2_000)
        XCTAssertGreaterThan(hashes.count, 1_990, "crafted slots must not share hash values")
        XCTAssertEqual(EVM.SlotKey(contract, UInt256(7)), EVM.SlotKey(contract, UInt256(7)))
        XCTAssertNotEqual(EVM.SlotKey(contract, UInt256(7)), EVM.SlotKey(child, UInt256(7)))
    }

    func testExtcodehashReadsTheStatesHashAndPushesZeroForAnEmptyAccount() throws {
        let target = try Address(hex: "0x000000000000000000000000000000000000beef")
        let code: [UInt8] = [UInt8](repeating: 0x5b, count: 24_000)
        // PUSH20 target; EXTCODEHASH; then return the top word.
        let probe: [UInt8] = [0x73] + target.bytes + [0x3f] + Self.returnTop
        let e = evm([contract: probe, target: code])
        let result = run(e)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(result.output, Keccak256.hash(code))
        // An account that does not exist: zero (EIP-1052), not the hash of empty code.
        let missing = run([0x73] + [UInt8](repeating: 0x11, count: 20) + [0x3f] + Self.returnTop)
        XCTAssertEqual(missing.output, [UInt8](repeating: 0, count: 32))
    }

    func testAddressFromAWordKeepsTheLow20Bytes() throws {
        let word = UInt256(w0: 0x0102_0304_0506_0708, w1: 0x090a_0b0c_0d0e_0f10, w2: 0xffff_ffff_1112_1314, w3: .max)
        XCTAssertEqual(Address(word: word), try Address(hex: "0x1112131409 0a0b0c0d0e0f100102030405060708".replacingOccurrences(of: " ", with: "")))
        XCTAssertEqual(Address(word: word).word, UInt256(w0: word.w0, w1: word.w1, w2: 0x1112_1314, w3: 0))
    }
}
