import ArgumentParser
import XCTest

@testable import ankr

/// `--confirmations`: the default follows the chain (1 only where nothing can reorganise it), and
/// counts outside 1...1000 are usage errors before anything is sent.
final class ConfirmationsOptionTests: XCTestCase {
    /// The chain id of `ankr node --dev` and `ankr devnet` chains.
    let dev: UInt64 = 7331

    func testTheDefaultIsOneOnlyOnADevelopmentChainWithoutPeers() {
        XCTAssertEqual(ConfirmationsOption.defaultConfirmations(chainID: dev, peers: 0), 1)
        XCTAssertEqual(ConfirmationsOption.defaultConfirmations(chainID: dev, peers: 2), 3, "a devnet node has peers")
        XCTAssertEqual(ConfirmationsOption.defaultConfirmations(chainID: 1, peers: 0), 3, "a lone node of another chain may rejoin a heavier branch")
        XCTAssertEqual(ConfirmationsOption.defaultConfirmations(chainID: 1, peers: 5), 3)
    }

    func testACountInRangeIsTaken() throws {
        XCTAssertEqual(try ConfirmationsOption.parse(["--confirmations", "1"]).confirmations, 1)
        XCTAssertEqual(try ConfirmationsOption.parse(["--confirmations", "1000"]).confirmations, 1000)
        XCTAssertNil(try ConfirmationsOption.parse([]).confirmations)
    }

    func testCountsOutOfRangeOrNotNumbersAreUsageErrors() {
        for text in ["0", "-1", "1001", "99999999999999999999999", "two", "", "1.5"] {
            XCTAssertThrowsError(try ConfirmationsOption.parse(["--confirmations", text]), text) { error in
                XCTAssertEqual(ConfirmationsOption.exitCode(for: error), .validationFailure, text)
            }
        }
        XCTAssertThrowsError(try ConfirmationsOption.parse(["--confirmations", "1001"])) { error in
            XCTAssertTrue(ConfirmationsOption.fullMessage(for: error).contains("--confirmations must be 1 to 1000, not 1001"),
                          ConfirmationsOption.fullMessage(for: error))
        }
    }
}
