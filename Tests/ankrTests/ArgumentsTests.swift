import AnkrCommandLine
import AnkrCrypto
import AnkrIdentity
import AnkrPlasma
import AnkrPrimitives
import ArgumentParser
import Logging
import XCTest

@testable import ankr

/// The typed command-line values: what each accepts, what it refuses, and that a refusal is
/// ArgumentParser's usage error (exit 64) naming the option.
final class ArgumentsTests: XCTestCase {
    static let checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    static let max256 = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
    static let ether = UInt256(1_000_000_000_000_000_000)

    func testAddressAcceptsEveryCaseWithAValidChecksum() throws {
        let expected = try Address(hex: Self.checksummed.lowercased())
        XCTAssertEqual(Address(argument: Self.checksummed), expected)
        XCTAssertEqual(Address(argument: Self.checksummed.lowercased()), expected)
        XCTAssertEqual(Address(argument: "0x" + Self.checksummed.dropFirst(2).uppercased()), expected)
        XCTAssertEqual(Address(argument: String(Self.checksummed.dropFirst(2))), expected, "the 0x is optional, as it always was")
    }

    func testAddressRefusesBadForms() {
        for bad in ["", "0x", "0x1234", Self.checksummed + "00", String(Self.checksummed.dropLast(2)), "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",
                    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0x"] {
            XCTAssertNil(Address(argument: bad), bad)
        }
    }

    func testAddressRefusesAnEIP55Mismatch() {
        // One letter's case flipped: still the same bytes, but the checksum says it was mistyped.
        let flipped = Self.checksummed.replacingOccurrences(of: "aAeb", with: "aaeb")
        XCTAssertNil(Address(argument: flipped))
    }

    func testH256TakesExactly32Bytes() throws {
        let hex = "0x" + String(repeating: "ab", count: 32)
        XCTAssertEqual(H256(argument: hex), try H256(hex: hex))
        XCTAssertEqual(H256(argument: String(repeating: "AB", count: 32)), try H256(hex: hex))
        for bad in ["", "0x", "0x" + String(repeating: "ab", count: 31), hex + "ab", hex + "a", "0x" + String(repeating: "zz", count: 32)] {
            XCTAssertNil(H256(argument: bad), bad)
        }
    }

    func testUInt256ReadsDecimalAndHexUpToTheTop() {
        XCTAssertEqual(UInt256(argument: "0"), .zero)
        XCTAssertEqual(UInt256(argument: "1000"), UInt256(1000))
        XCTAssertEqual(UInt256(argument: "0x3e8"), UInt256(1000))
        XCTAssertEqual(UInt256(argument: "0X3E8"), UInt256(1000))
        XCTAssertEqual(UInt256(argument: Self.max256), UInt256.max)
        XCTAssertEqual(UInt256(argument: "0x" + String(repeating: "f", count: 64)), UInt256.max)
    }

    func testUInt256RefusesOverflowAndBadDigits() {
        let overMax = "115792089237316195423570985008687907853269984665640564039457584007913129639936"
        for bad in [overMax, Self.max256 + "0", "0x1" + String(repeating: "0", count: 64), "", "0x", "-1", "1.5", "1e3", "12a", "0xg"] {
            XCTAssertNil(UInt256(argument: bad), bad)
        }
    }

    func testAmountsWithEachUnit() throws {
        XCTAssertEqual(Amount(argument: "1.5ankr")?.wei, UInt256(1_500_000_000_000_000_000))
        XCTAssertEqual(Amount(argument: "3ether")?.wei, Self.ether &* UInt256(3))
        XCTAssertEqual(Amount(argument: "2gwei")?.wei, UInt256(2_000_000_000))
        XCTAssertEqual(Amount(argument: "0.000000001gwei")?.wei, UInt256(1), "the smallest gwei fraction is one wei")
        XCTAssertEqual(Amount(argument: "100wei")?.wei, UInt256(100))
        XCTAssertEqual(Amount(argument: "100")?.wei, UInt256(100), "a plain number is wei")
        XCTAssertEqual(Amount(argument: "0x64")?.wei, UInt256(100), "a plain number may be hex wei")
        XCTAssertEqual(Amount(argument: " 2ANKR ")?.wei, Self.ether &* UInt256(2), "any case, surrounding spaces ignored")
        XCTAssertEqual(Amount(argument: ".5ankr")?.wei, Self.ether / UInt256(2))
        XCTAssertEqual(Amount(argument: "1.ankr")?.wei, Self.ether)
        XCTAssertEqual(Amount(argument: Self.max256)?.wei, UInt256.max)
        XCTAssertEqual(Amount(argument: "3ankr")?.description, "3ankr", "messages repeat what was typed")
        XCTAssertEqual(Amount(wei: UInt256(7)).description, "7")
    }

    func testAmountsRefusedSayWhy() {
        func error(_ text: String) -> AmountError? {
            do throws(AmountError) { _ = try Amount(parsing: text); return nil } catch { return error }
        }
        XCTAssertEqual(error("1.5"), .tooManyDecimals("1.5", decimals: 0))
        XCTAssertEqual(error("1.5wei"), .tooManyDecimals("1.5wei", decimals: 0))
        XCTAssertEqual(error("1.0000000001gwei"), .tooManyDecimals("1.0000000001gwei", decimals: 9))
        XCTAssertEqual(error("0.0000000000000000001ankr"), .tooManyDecimals("0.0000000000000000001ankr", decimals: 18))
        XCTAssertEqual(error("115792089237316195423570985008687907853269984665640564039457584007913129639936"),
                       .overflow("115792089237316195423570985008687907853269984665640564039457584007913129639936"))
        XCTAssertEqual(error("115792089237316195423570985008687907853269984665640564039457584008ankr"),
                       .overflow("115792089237316195423570985008687907853269984665640564039457584008ankr"))
        for unreadable in ["", "ankr", "0x", "1.2.3ankr", "-1", "1e3", "1,5ankr", "5 ankr", "+1"] {
            XCTAssertEqual(error(unreadable), .unreadable(unreadable), unreadable)
        }
        XCTAssertEqual(error("0x1ankr"), .hexWithUnit("0x1ankr"))
        XCTAssertEqual(error("0x1.5"), .hexWithUnit("0x1.5"))
        XCTAssertEqual(AmountError.tooManyDecimals("1.5", decimals: 0).description, "amount 1.5 has more than 0 decimals")
        XCTAssertEqual(AmountError.unreadable("1ankx").description,
                       "cannot read amount 1ankx: give wei (100 or 0x64) or a number with a unit, one of ankr, ether, gwei, wei (1.5ankr, 20gwei)")
        XCTAssertNil(Amount(argument: "1.5"))
    }

    func testAmountFormatsAnkrWithoutTrailingZeros() {
        XCTAssertEqual(Amount.format(.zero), "0")
        XCTAssertEqual(Amount.format(Self.ether &* UInt256(3)), "3")
        XCTAssertEqual(Amount.format(UInt256(1_500_000_000_000_000_000)), "1.5")
        XCTAssertEqual(Amount.format(UInt256(1)), "0.000000000000000001")
    }

    func testHexBytesPrivateKeysPositionsLogLevelsAndClaimTypes() throws {
        XCTAssertEqual(HexBytes(argument: "0x")?.bytes, [])
        XCTAssertEqual(HexBytes(argument: "0x00ff")?.bytes, [0, 255])
        XCTAssertNil(HexBytes(argument: "0x0"))
        XCTAssertNil(HexBytes(argument: "0xzz"))

        let key = "0x4646464646464646464646464646464646464646464646464646464646464646"
        XCTAssertEqual(PrivateKey(argument: key)?.address.checksummed, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")
        XCTAssertNil(PrivateKey(argument: "0x" + String(repeating: "00", count: 32)), "zero is no key")
        XCTAssertNil(PrivateKey(argument: "0x1234"))
        XCTAssertFalse(try XCTUnwrap(PrivateKey(argument: key)).defaultValueDescription.contains("4646"), "help never echoes a key")

        XCTAssertEqual(UTXOPosition(argument: "1000:0:1"), try UTXOPosition(blockNumber: 1000, txIndex: 0, outputIndex: 1))
        XCTAssertEqual(UTXOPosition(argument: "1000000000001"), try UTXOPosition(blockNumber: 1000, txIndex: 0, outputIndex: 1))
        for bad in ["1000:0:2", "1:70000:0", "1::0", "1:0", "a:b:c", "-1", "1000000000002"] {
            XCTAssertNil(UTXOPosition(argument: bad), bad)
        }

        XCTAssertEqual(Logger.Level(argument: "debug"), .debug)
        XCTAssertNil(Logger.Level(argument: "loud"))

        XCTAssertEqual(ClaimType(argument: "On-Time")?.value, IdentityContract.paymentOnTime)
        XCTAssertEqual(ClaimType(argument: "paid-late")?.value, IdentityContract.paymentLate)
        XCTAssertEqual(ClaimType(argument: "0x10")?.value, UInt256(16))
        XCTAssertNil(ClaimType(argument: "sometimes"))
    }

    func testABadValueIsAUsageErrorNamingTheOption() {
        for (args, option) in [(["plasma", "send", "--chain", "1", "--to", "0x1234", "--value", "1"], "--to <to>"),
                               (["plasma", "send", "--chain", "1", "--to", Self.checksummed, "--value", "1.5"], "--value <value>"),
                               (["asset", "get", Self.max256 + "0"], "<id>"),
                               (["plasma", "exit", "--chain", "1", "--utxo", "1:0:7"], "--utxo <utxo>"),
                               (["plasma", "watch", "--chain", "1", "--log.level", "loud"], "--log.level <log.level>")] {
            XCTAssertThrowsError(try Ankr.parseAsRoot(args), "\(args)") { error in
                XCTAssertEqual(Ankr.exitCode(for: error), .validationFailure, "\(args)")
                XCTAssertTrue(Ankr.message(for: error).contains("is invalid for '\(option)'"), Ankr.message(for: error))
            }
        }
        XCTAssertThrowsError(try Ankr.parseAsRoot(["work", "status", "0"])) { error in
            XCTAssertEqual(Ankr.exitCode(for: error), .validationFailure)
            XCTAssertEqual(Ankr.message(for: error), "0 is not a job id")
        }
    }

    func testTheBinaryExitsWith64OnABadAddress() throws {
        let run = try UtilCommandTests.run(["plasma", "balance", "0x1234"])
        XCTAssertEqual(run.status, 64)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.hasPrefix("Error: The value '0x1234' is invalid for '<address>'"), run.stderr)
    }
}
