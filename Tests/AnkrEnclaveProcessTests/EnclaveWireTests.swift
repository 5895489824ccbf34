import AnkrEnclave
import AnkrPrimitives
import AnkrSandbox
import XCTest

/// The socket protocol's frames and messages: every kind round-trips, and hostile bytes (truncated,
/// flipped, oversized, wrong version, extra or missing fields) give an ``EnclaveWireError``, never a trap.
final class EnclaveWireTests: XCTestCase {
    static let requests: [EnclaveRequest] = [
        .info, .attest(userData: [1, 2, 3]), .attest(userData: []), .sign(hash: [UInt8](repeating: 7, count: 32)),
        .decrypt([9, 9, 9]), .randomBytes(count: 16),
        .mine(moduleHash: Keccak256.h256([1]), module: [0, 0x61, 0x73, 0x6d], input: [4, 5], fuel: 1_000_000,
              target: .max, deadlineMilliseconds: 2500),
        .mine(moduleHash: Keccak256.h256([2]), module: [], input: [], fuel: 0, target: .zero, deadlineMilliseconds: 0),
    ]

    static let workErrors: [WorkError] = [
        .invalidModule("x"), .hasImports(["env.a", "env.b"]), .hasImports([]), .missingExport("run"), .outOfFuel(limit: 5), .trap("t"),
        .badResult("b"), .inputTooLarge(10, limit: 5), .outputTooLarge(11, limit: 6), .hasStartFunction, .moduleTooLarge(3, limit: 2),
        .notWebAssembly, .truncatedModule(offset: 4), .oversizedInteger(offset: 5), .countExceedsSection(count: 9, offset: 6),
        .unknownSection(id: 200, offset: 7), .sectionOverrunsModule(id: 3, offset: 8, size: 99), .tooManyMemories(limit: 1),
        .memoryTooLarge(pages: 5000, limit: 1024), .tooManyTables(limit: 16), .unsupportedTable(type: 0x71, offset: 12),
        .tablesTooLarge(elements: 1 << 20, limit: 1 << 16), .unsupportedLimits(kind: "memory", flags: 3, offset: 13),
        .tooManySegments(kind: "data", count: 2000, limit: 1024), .tooManyLocals(function: 2, count: 5000, limit: 1024),
        .deadlineExceeded(milliseconds: 300), .sandboxBusy(abandonedRuns: 2),
    ]

    static var replies: [EnclaveReply] {
        [
            .info(measurement: Keccak256.h256([3]), publicKey: [2] + [UInt8](repeating: 1, count: 32)),
            .evidence([1, 2]), .signature([UInt8](repeating: 5, count: 65)), .plaintext([]), .randomBytes([1, 2, 3]),
            .mined(MinedSubtask(output: [1, 2], fuelUsed: 77, won: true, statementSignature: [UInt8](repeating: 6, count: 65))), .mined(MinedSubtask(output: [], fuelUsed: 0, won: false)),
            .failure(.unknownModule(Keccak256.h256([4]))), .failure(.moduleHashMismatch(Keccak256.h256([5]))),
            .failure(.badRequest("no")), .failure(.attestationFailed("a")), .failure(.signingFailed("s")),
            .failure(.decryptionFailed("d")), .failure(.randomnessFailed("r")), .failure(.miningFailed("m")),
        ] + workErrors.map { .failure(.work($0)) }
    }

    func testEveryRequestAndReplyRoundTrips() throws {
        for request in Self.requests { XCTAssertEqual(try EnclaveRequest(encoded: request.encoded), request) }
        for reply in Self.replies { XCTAssertEqual(try EnclaveReply(encoded: reply.encoded), reply) }
    }

    func testFrameHeaderRefusesLengthsOverTheBound() throws {
        XCTAssertEqual(try EnclaveFrame.length(header: [0, 0, 1, 0]), 256)
        XCTAssertEqual(try EnclaveFrame.length(header: [0, 0x80, 0, 0]), EnclaveFrame.maxBytes)
        XCTAssertThrowsError(try EnclaveFrame.length(header: [0, 0x80, 0, 1])) {
            XCTAssertEqual($0 as? EnclaveWireError, .frameTooLarge(length: UInt64(EnclaveFrame.maxBytes) + 1, limit: EnclaveFrame.maxBytes))
        }
        XCTAssertThrowsError(try EnclaveFrame.length(header: [0xff, 0xff, 0xff, 0xff])) {
            guard case .frameTooLarge = $0 as? EnclaveWireError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try EnclaveFrame.length(header: [0, 0, 1])) {
            XCTAssertEqual($0 as? EnclaveWireError, .wrongFieldSize(field: "frame header", expected: 4, actual: 3))
        }
        XCTAssertEqual(EnclaveFrame.encode([1, 2, 3]), [0, 0, 0, 3, 1, 2, 3])
    }

    func testOtherVersionsUnknownKindsAndExtraFieldsAreRefused() {
        let future = RLP.encode(.list([.uint(UInt64(2)), .uint(UInt64(1))]))
        XCTAssertThrowsError(try EnclaveRequest(encoded: future)) {
            XCTAssertEqual($0 as? EnclaveWireError, .unsupportedVersion(2, supported: EnclaveFrame.version))
        }
        XCTAssertThrowsError(try EnclaveRequest(encoded: RLP.encode(.list([.uint(UInt64(1)), .uint(UInt64(99))])))) {
            XCTAssertEqual($0 as? EnclaveWireError, .unknownKind(message: "request", kind: 99))
        }
        XCTAssertThrowsError(try EnclaveReply(encoded: RLP.encode(.list([.uint(UInt64(1)), .uint(UInt64(99))])))) {
            XCTAssertEqual($0 as? EnclaveWireError, .unknownKind(message: "reply", kind: 99))
        }
        XCTAssertThrowsError(try EnclaveRequest(encoded: RLP.encode(.list([.uint(UInt64(1)), .uint(UInt64(1)), .bytes([1])])))) {
            guard case .wrongFieldCount(message: "request", _, _) = $0 as? EnclaveWireError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try EnclaveRequest(encoded: [0xc0])) { guard case .wrongFieldCount = $0 as? EnclaveWireError else { return XCTFail("\($0)") } }
        XCTAssertThrowsError(try EnclaveRequest(encoded: [])) { guard case .notRLP = $0 as? EnclaveWireError else { return XCTFail("\($0)") } }
        XCTAssertThrowsError(try EnclaveRequest(encoded: RLP.encode(.bytes([1, 2])))) {
            guard case .notRLP(message: "request", .expectedList) = $0 as? EnclaveWireError else { return XCTFail("\($0)") }
        }
    }

    func testWrongFieldSizesAreRefused() {
        func request(_ kind: UInt64, _ fields: [RLPItem]) -> [UInt8] { RLP.encode(.list([.uint(UInt64(1)), .uint(kind)] + fields)) }
        XCTAssertThrowsError(try EnclaveRequest(encoded: request(2, [.bytes([UInt8](repeating: 1, count: 33))]))) {
            XCTAssertEqual($0 as? EnclaveWireError, .fieldTooLarge(field: "user data", count: 33, limit: 32))
        }
        XCTAssertThrowsError(try EnclaveRequest(encoded: request(3, [.bytes([1])]))) {
            XCTAssertEqual($0 as? EnclaveWireError, .wrongFieldSize(field: "hash", expected: 32, actual: 1))
        }
        XCTAssertThrowsError(try EnclaveRequest(encoded: request(5, [.uint(UInt64(EnclaveRequest.maxRandomBytes + 1))]))) {
            XCTAssertEqual($0 as? EnclaveWireError,
                           .fieldTooLarge(field: "random byte count", count: EnclaveRequest.maxRandomBytes + 1, limit: EnclaveRequest.maxRandomBytes))
        }
        XCTAssertThrowsError(try EnclaveRequest(encoded: request(6, [.bytes([1]), .bytes([]), .bytes([]), .uint(UInt64(1)), .uint(UInt64(1)),
                                                                    .uint(UInt64(1))]))) {
            XCTAssertEqual($0 as? EnclaveWireError, .wrongFieldSize(field: "module hash", expected: 32, actual: 1))
        }
        // A fuel of 2^64 does not fit.
        XCTAssertThrowsError(try EnclaveRequest(encoded: request(6, [.bytes(Keccak256.hash([1])), .bytes([]), .bytes([]),
                                                                    .uint(UInt256.one.shiftedLeft(64)), .uint(UInt64(1)), .uint(UInt64(1))]))) {
            guard case .badField(message: "request", field: "fuel", .integerTooLarge(bits: 64)) = $0 as? EnclaveWireError else {
                return XCTFail("\($0)")
            }
        }
        let mined = RLP.encode(.list([.uint(UInt64(1)), .uint(UInt64(6)), .bytes([]), .uint(UInt64(5)), .uint(UInt64(2))]))
        XCTAssertThrowsError(try EnclaveReply(encoded: mined)) { XCTAssertEqual($0 as? EnclaveWireError, .notAFlag(field: "won", value: 2)) }
        let badByte = RLP.encode(.list([.uint(UInt64(1)), .uint(UInt64(7)),
                                        .list([.uint(UInt64(3)), .list([.uint(UInt64(14)), .uint(UInt64(256)), .uint(UInt64(0))])])]))
        XCTAssertThrowsError(try EnclaveReply(encoded: badByte)) {
            XCTAssertEqual($0 as? EnclaveWireError, .fieldTooLarge(field: "id", count: 256, limit: 255))
        }
    }

    /// Every prefix and every single-bit flip of every message decodes or throws a wire error.
    func testTruncatedAndFlippedMessagesNeverTrap() {
        for payload in Self.requests.map(\.encoded) {
            for n in 0..<payload.count {
                XCTAssertThrowsError(try EnclaveRequest(encoded: Array(payload.prefix(n))))
            }
            for i in 0..<payload.count {
                for bit in 0..<8 {
                    var flipped = payload
                    flipped[i] ^= 1 << bit
                    do { _ = try EnclaveRequest(encoded: flipped) } catch { XCTAssertFalse(error.description.isEmpty) }
                }
            }
        }
        for payload in Self.replies.map(\.encoded) {
            for n in 0..<payload.count {
                XCTAssertThrowsError(try EnclaveReply(encoded: Array(payload.prefix(n))))
            }
            for i in 0..<payload.count {
                var flipped = payload
                flipped[i] ^= 0x41
                do { _ = try EnclaveReply(encoded: flipped) } catch { XCTAssertFalse(error.description.isEmpty) }
            }
        }
    }
}
