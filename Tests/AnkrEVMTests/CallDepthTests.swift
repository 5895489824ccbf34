import AnkrEVM
import AnkrPrimitives
import Foundation
import XCTest

/// 1,024 nested frames on whatever thread runs the EVM: a node runs it on NIO, Dispatch and
/// cooperative-pool threads whose stacks are a few MiB at most (issue 17: only `ankr evm` ran on a
/// big stack). `StackSegment` moves every 16 levels to a fresh stack, so a small one is enough.
final class CallDepthTests: XCTestCase {
    /// Calls itself with all its gas and returns 1 + what the callee returned: 1,025 from depth 0 when
    /// every level down to 1,024 ran (the call from 1,024 is refused, so that frame returns 1).
    static let selfCaller: [UInt8] = [
        0x60, 0x20, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x30, 0x5a, 0xf1, 0x50,  // CALL(gas, self, 0, 0, 0, 0, 32); pop
        0x60, 0x00, 0x51, 0x60, 0x01, 0x01, 0x60, 0x00, 0x52,                                  // mem[0] += 1
        0x60, 0x20, 0x60, 0x00, 0xf3,                                                          // return mem[0..32]
    ]

    /// Runs `body` on a thread with a `stackBytes` stack, as a node's worker threads would.
    func onThread(stackBytes: Int, _ body: @escaping @Sendable () -> UInt64) -> UInt64 {
        final class Box: @unchecked Sendable { var value: UInt64 = 0 }
        let box = Box(), done = DispatchSemaphore(value: 0)
        let thread = Thread { box.value = body(); done.signal() }
        thread.stackSize = stackBytes
        thread.start()
        done.wait()
        return box.value
    }

    func testSelfCallToTheDepthLimitOnASmallStack() {
        // 10^12 gas: the 63/64 rule leaves ~99,000 at depth 1,024, enough for the deepest frame to return.
        let depth = onThread(stackBytes: 1 << 20) {
            guard let (result, _) = try? EVMHarness.call(Self.selfCaller, gas: 1_000_000_000_000), result.status == .success else { return 0 }
            return UInt256(bigEndian: result.output)?.uint64 ?? 0
        }
        XCTAssertEqual(depth, 1_025)
    }

    func testADeadlineStopsAnEndlessLoopAndUnwindsEveryFrame() throws {
        // JUMPDEST; PUSH1 0; JUMP — forever, with more gas than a test could burn.
        let loop: [UInt8] = [0x5b, 0x60, 0x00, 0x56]
        let state = InMemoryEVMState()
        let caller = try Address(hex: "0x000000000000000000000000000000000000cafe"), contract = try Address(hex: "0x000000000000000000000000000000000000c0de")
        state.setAccount(contract, EVMAccount(code: loop))
        state.beginTransaction()
        let started = ContinuousClock.now
        let evm = EVM(state: state, block: BlockEnvironment(chainID: 1, coinbase: .zero, number: 1, timestamp: 1, gasLimit: .max, baseFee: .zero),
                      tx: TransactionEnvironment(origin: caller, gasPrice: .zero), deadline: started + .milliseconds(200))
        let result = evm.call(EVM.Message(caller: caller, codeAddress: contract, target: contract, value: .zero, transfersValue: false, input: [],
                                          gas: .max, isStatic: false, depth: 0))
        XCTAssertEqual(result.status, .failure(EVM.timeoutFailure))
        XCTAssertTrue(evm.interrupted)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
    }
}
