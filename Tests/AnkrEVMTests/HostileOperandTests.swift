import AnkrEVM
import AnkrPrimitives
import XCTest

/// Sizes and offsets a program pushes near 2^64 and 2^256: every opcode that turns one into a word
/// count or a memory range must end the frame out of gas, never trap (issue 17: `PUSH8 2^64-1, PUSH1 0,
/// KECCAK256` crashed every node that ran it).
final class HostileOperandTests: XCTestCase {
    static let huge: [UInt256] = [
        UInt256(UInt64.max), UInt256(UInt64.max - 30), UInt256(UInt64.max - 31), UInt256(1).shiftedLeft(63),
        UInt256(1).shiftedLeft(32), UInt256(w0: .max, w1: .max, w2: .max, w3: .max),
    ]
    static let small: [UInt256] = [.zero, UInt256(31), UInt256(32)]

    /// PUSH32 of each operand, last operand first, so `operands[0]` ends on top of the stack.
    func program(_ op: UInt8, _ operands: [UInt256]) -> [UInt8] {
        operands.reversed().flatMap { [0x7f] + $0.bigEndianBytes } + [op]
    }

    func assertFailsCleanly(_ op: UInt8, _ operands: [UInt256], line: UInt = #line) throws {
        let (result, _) = try EVMHarness.call(program(op, operands), gas: 1_000_000)
        guard case .failure = result.status else {
            return XCTFail("opcode 0x\(String(op, radix: 16)) with \(operands.map(\.description)) ended \(result.status)", line: line)
        }
        XCTAssertEqual(result.gasLeft, 0, line: line)
    }

    func testTheCrashFromTheReviewIsOutOfGas() throws {
        // PUSH8 2^64-1, PUSH1 0, KECCAK256: the 12 bytes of the report.
        let (r, _) = try EVMHarness.call([0x67, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x60, 0x00, 0x20], gas: 100_000)
        XCTAssertEqual(r.status, .failure("out of gas"))
        XCTAssertEqual(r.gasLeft, 0)
    }

    func testHugeSizesAndOffsetsEndOutOfGasInEveryCopyingOpcode() throws {
        let contract = UInt256(0xc0de)
        for huge in Self.huge {
            for other in Self.small + Self.huge {
                // KECCAK256, LOG0, RETURN, REVERT: offset, size.
                for op: UInt8 in [0x20, 0xa0, 0xf3, 0xfd] {
                    try assertFailsCleanly(op, [other, huge])
                    try assertFailsCleanly(op, [huge, other == .zero ? UInt256(1) : other])
                }
                // CALLDATACOPY, CODECOPY, RETURNDATACOPY: dest, offset, size.
                for op: UInt8 in [0x37, 0x39, 0x3e] {
                    try assertFailsCleanly(op, [.zero, other, huge])
                    try assertFailsCleanly(op, [other, .zero, huge])
                    try assertFailsCleanly(op, [huge, .zero, other == .zero ? UInt256(1) : other])
                }
                // EXTCODECOPY: address, dest, offset, size.
                try assertFailsCleanly(0x3c, [contract, .zero, other, huge])
                try assertFailsCleanly(0x3c, [contract, huge, .zero, other == .zero ? UInt256(1) : other])
                // MCOPY: dest, src, size.
                try assertFailsCleanly(0x5e, [.zero, other, huge])
                try assertFailsCleanly(0x5e, [other, .zero, huge])
                try assertFailsCleanly(0x5e, [huge, .zero, other == .zero ? UInt256(1) : other])
                try assertFailsCleanly(0x5e, [.zero, huge, other == .zero ? UInt256(1) : other])
                // CREATE: value, offset, size; CREATE2: value, offset, size, salt.
                try assertFailsCleanly(0xf0, [.zero, other, huge])
                try assertFailsCleanly(0xf5, [.zero, other, huge, .zero])
                // CALL: gas, address, value, inOffset, inSize, outOffset, outSize (and the others without value).
                try assertFailsCleanly(0xf1, [UInt256(1_000), contract, .zero, other, huge, .zero, .zero])
                try assertFailsCleanly(0xf1, [UInt256(1_000), contract, .zero, .zero, .zero, other, huge])
                try assertFailsCleanly(0xf4, [UInt256(1_000), contract, other, huge, .zero, .zero])
                try assertFailsCleanly(0xfa, [UInt256(1_000), contract, .zero, .zero, other, huge])
            }
        }
    }

    func testZeroSizesAtHugeOffsetsTouchNoMemory() throws {
        // A zero-size range is free wherever it points (the yellow paper's μ_i is unchanged), except
        // RETURNDATACOPY, which checks offset + size against the return data first.
        for huge in Self.huge {
            for op: UInt8 in [0x20, 0xa0] {
                let (r, _) = try EVMHarness.call(program(op, [huge, .zero]) + [0x00])
                XCTAssertEqual(r.status, .success, "0x\(String(op, radix: 16)) at \(huge)")
            }
            for op: UInt8 in [0x37, 0x39] {
                let (r, _) = try EVMHarness.call(program(op, [huge, huge, .zero]) + [0x00])
                XCTAssertEqual(r.status, .success, "0x\(String(op, radix: 16)) at \(huge)")
            }
            let (copy, _) = try EVMHarness.call(program(0x3e, [.zero, huge, .zero]))
            XCTAssertEqual(copy.status, .failure("return data out of bounds"))
        }
    }
}
