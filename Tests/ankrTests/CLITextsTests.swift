import AnkrCrypto
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Logging
import XCTest

@testable import ankr

/// The CLI's texts that used to mislead: refused values say why (and never repeat a key), a failed
/// oracle answer ends the command with its error and cause, `plasma status` prints decimals, and a
/// loop that retries logs a node that is down once, not every round.
final class CLITextsTests: XCTestCase {
    struct Send: ParsableCommand {
        @Option var to: Address
        @Option var value: Amount?
        @Option(name: .customLong("private-key")) var privateKey: PrivateKey?
    }

    /// The message ArgumentParser gives for `arguments`, with our reason added as ``Ankr/main()`` adds it.
    func message(_ arguments: [String]) -> String {
        do {
            _ = try Send.parse(arguments)
            XCTFail("\(arguments) parsed")
            return ""
        } catch {
            let message = Send.fullMessage(for: error)
            XCTAssertEqual(Send.exitCode(for: error), .validationFailure, "still a usage error (exit 64)")
            return ArgumentRefusals.explaining(message) ?? message
        }
    }

    func testAWrongChecksumSaysItIsTheChecksumAndGivesTheRightOne() {
        let wrong = "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4f"
        XCTAssertEqual(message(["--to", wrong]).split(separator: "\n").first.map(String.init),
                       "Error: The value '\(wrong)' is invalid for '--to <to>': address \(wrong) has a wrong EIP-55 checksum "
                       + "(mistyped, or its letters' case changed); if its digits are right, it is 0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")
    }

    func testAShortKeySaysItsLengthAndTheKeyIsNotRepeated() {
        let text = "0x46464646"
        let line = message(["--to", "0x" + String(repeating: "00", count: 20), "--private-key", text])
        XCTAssertTrue(line.hasPrefix("Error: The value given is invalid for '--private-key <private-key>': a private key is 32 bytes (64 hex digits); got 4 bytes"), line)
        XCTAssertFalse(line.contains(text), "a key, even a wrong one, is not echoed")
    }

    func testAKeyHoldingANewlineOrAQuoteIsNotEchoedEither() {
        for text in ["0x4646\n4646", "0x46' is invalid for 'x", "0x46\n' is invalid"] {
            let line = message(["--to", "0x" + String(repeating: "00", count: 20), "--private-key", text])
            XCTAssertFalse(line.contains(text), line)
            XCTAssertTrue(line.contains("The value given is invalid for '--private-key <private-key>'") || line.contains("…"), line)
        }
    }

    func testAnUnreadableAmountListsTheUnits() {
        let line = message(["--to", "0x" + String(repeating: "00", count: 20), "--value", "1ankx"])
        XCTAssertTrue(line.hasPrefix("Error: The value '1ankx' is invalid for '--value <value>': cannot read amount 1ankx: give wei (100 or 0x64) or a number with a unit, "
                                     + "one of ankr, ether, gwei, wei"), line)
    }

    func testAMessageNamingNoNotedValueIsLeftAlone() {
        XCTAssertNil(ArgumentRefusals.explaining("Missing expected argument '--to <to>'"))
        XCTAssertNil(ArgumentRefusals.explaining("The value 'never-noted-\(UUID())' is invalid for '--x <x>'"))
        XCTAssertNil(ArgumentRefusals.explaining(""))
        XCTAssertNil(ArgumentRefusals.explaining("The value '"), "an unterminated quote")
    }

    func testAFailedOracleAnswerEndsTheCommandWithItsErrorAndCause() {
        let failed: [String: JSON] = ["id": "7", "error": 2, "errorName": "sourceUnavailable", "cause": "the source is unreachable: DNS lookup failed"]
        XCTAssertEqual(OracleCommand.failure(failed), "request 7 failed: sourceUnavailable (the source is unreachable: DNS lookup failed)")
        XCTAssertEqual(OracleCommand.failure(["id": "8", "error": 3, "errorName": "sourceStatus"]), "request 8 failed: sourceStatus")
        XCTAssertNil(OracleCommand.failure(["id": "9", "error": 0, "errorName": "none", "value": "6123456"]))
        // A source's text in the cause cannot drive the terminal or break the one line.
        let hostile: [String: JSON] = ["id": "10", "error": 4, "errorName": "badData", "cause": "\u{1b}]0;owned\u{07}x\ny is not a number"]
        XCTAssertEqual(OracleCommand.failure(hostile), #"request 10 failed: badData (\u{1B}]0;owned\u{07}x\ny is not a number)"#)
    }

    func testPlasmaStatusQuantitiesAreDecimal() throws {
        let reply = try JSON(parsing: """
            {"id":"0x1","root":"0x00000000000000000000000000000000000B0001","operator":"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F",
             "stake":"0xde0b6b3a7640000","slashed":false,"balance":"0x1bc16d674ec80000","nextChildBlock":"0x3e8","queuedExits":"0x1",
             "latestBlock":{"number":"0x3e8","root":"0x00000000000000000000000000000000000000000000000000000000000000ab","timestamp":"0x65"},
             "exits":[{"utxoPos":"0x3b9aca00","position":"1:0:0","amount":"0x1bc16d674ec80000","exitableAt":"0x66",
                       "owner":"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"}]}
            """)
        let out = reply.decimalQuantities(numbers: PlasmaCommand.Status.numbers, wei: PlasmaCommand.Status.wei)
        XCTAssertEqual(out["id"], 1)
        XCTAssertEqual(out["stake"], "1000000000000000000")
        XCTAssertEqual(out["balance"], "2000000000000000000")
        XCTAssertEqual(out["nextChildBlock"], 1000)
        XCTAssertEqual(out["queuedExits"], 1)
        XCTAssertEqual(out["latestBlock"]?["number"], 1000)
        XCTAssertEqual(out["latestBlock"]?["timestamp"], 101)
        XCTAssertEqual(out["latestBlock"]?["root"], reply["latestBlock"]?["root"], "a hash stays hex")
        XCTAssertEqual(out["root"], reply["root"], "an address stays as it is")
        XCTAssertEqual(out["exits"]?[0]?["utxoPos"], 1_000_000_000)
        XCTAssertEqual(out["exits"]?[0]?["amount"], "2000000000000000000")
        XCTAssertEqual(out["exits"]?[0]?["exitableAt"], 102)
        XCTAssertEqual(out["slashed"], false)
    }

    func testQuantitiesThatDoNotParseOrFitStayAsTheNodeSentThem() throws {
        let reply: JSON = ["id": "0xzz", "queuedExits": "0x10000000000000000", "stake": .string("0x" + String(repeating: "f", count: 65)), "nextChildBlock": 5]
        let out = reply.decimalQuantities(numbers: ["id", "queuedExits", "nextChildBlock"], wei: ["stake"])
        XCTAssertEqual(out, reply)
    }

    func testANodeThatIsDownIsLoggedOnceAMinuteAndItsReturnOnce() {
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in RecordingLogHandler(lines: lines) }
        logger.logLevel = .debug
        var retries = RetryLog(logger: logger, what: "relay round")
        let down = RPCClientError.unreachable(url: "http://127.0.0.1:8545", reason: "connection refused")
        let start = ContinuousClock.now
        for second in 0..<120 { retries.failed(down, now: start + .seconds(second)) }
        retries.succeeded()
        retries.succeeded()
        retries.failed(TransactorError.transactionRefused(down), now: start + .seconds(121))
        retries.failed(TransactorError.noBaseFee, now: start + .seconds(122))
        let warnings = lines.all.filter { $0.level == .warning }.map(\.message)
        XCTAssertEqual(warnings, [
            "cannot reach the node at http://127.0.0.1:8545 (connection refused); retrying",  // at 0 s
            "cannot reach the node at http://127.0.0.1:8545 (connection refused); retrying",  // the reminder at 60 s
            "cannot reach the node at http://127.0.0.1:8545 (connection refused); retrying",  // down again after the recovery
            "relay round failed; retrying",  // another failure is a change of state
        ])
        XCTAssertEqual(lines.all.filter { $0.level == .debug }.count, 118)
        XCTAssertEqual(lines.all.filter { $0.level == .notice }.map(\.message), ["relay round works again"])
        XCTAssertEqual(lines.all.last?.metadata["error"], "\(TransactorError.noBaseFee)")
    }

    func testANodeGoingDownMidRequestIsOneOutage() {
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in RecordingLogHandler(lines: lines) }
        logger.logLevel = .debug
        var retries = RetryLog(logger: logger, what: "main chain round")
        let start = ContinuousClock.now
        retries.failed(RPCClientError.unreachable(url: "http://127.0.0.1:8545", reason: "connection closed before a reply"), now: start)
        retries.failed(RPCClientError.unreachable(url: "http://127.0.0.1:8545", reason: "connection refused"), now: start + .seconds(1))
        retries.failed(RPCClientError.unreachable(url: "http://127.0.0.1:9545", reason: "connection refused"), now: start + .seconds(2))
        XCTAssertEqual(lines.all.filter { $0.level == .warning }.map(\.message), [
            "cannot reach the node at http://127.0.0.1:8545 (connection closed before a reply); retrying",
            "cannot reach the node at http://127.0.0.1:9545 (connection refused); retrying",  // another node is another outage
        ])
    }

    func testAnotherErrorWithinTheMinuteIsWarnedAboutAtOnce() {
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in RecordingLogHandler(lines: lines) }
        logger.logLevel = .debug
        var retries = RetryLog(logger: logger, what: "relay round")
        let start = ContinuousClock.now
        retries.failed(TransactorError.noBaseFee, now: start)
        retries.failed(TransactorError.noBaseFee, now: start + .seconds(1))
        retries.failed(TransactorError.confirmationsOutOfRange(0), now: start + .seconds(2))
        XCTAssertEqual(lines.all.filter { $0.level == .warning }.map { $0.metadata["error"] ?? "" },
                       ["\(TransactorError.noBaseFee)", "\(TransactorError.confirmationsOutOfRange(0))"])
    }
}

/// Log lines a test reads back.
final class LogLines: @unchecked Sendable {
    struct Line { let level: Logger.Level; let message: String; let metadata: [String: String] }
    private let lock = NSLock()
    private var lines = [Line]()
    func append(_ line: Line) { lock.withLock { lines.append(line) } }
    var all: [Line] { lock.withLock { lines } }
}

/// A log handler that keeps every line in a ``LogLines``.
struct RecordingLogHandler: LogHandler {
    let lines: LogLines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(.init(level: event.level, message: "\(event.message)", metadata: (event.metadata ?? [:]).mapValues { "\($0)" }))
    }
}
