import AnkrChain
import AnkrPlasma
import AnkrPrimitives
import XCTest

/// `config.ankr.plasma` read by the Plasma target itself: defaults, every setting, and each bad
/// value refused with the ``GenesisError`` that names it.
extension PlasmaRootTests {
    private func rules(_ section: String) throws -> PlasmaRules { try PlasmaRules(genesisSection: JSON(parsing: section)) }

    func testPlasmaRulesReadTheirGenesisSection() throws {
        XCTAssertEqual(try PlasmaRules(genesisSection: nil), PlasmaRules())
        XCTAssertEqual(try rules("{}"), PlasmaRules())
        XCTAssertEqual(try rules("null"), PlasmaRules())
        let r = try rules(#"{"challengePeriodSeconds": "0x64", "exitAgeCapSeconds": 250, "exitBond": "12", "minimumStake": "0x0"}"#)
        XCTAssertEqual(r.challengePeriodSeconds, 100)
        XCTAssertEqual(r.exitAgeCapSeconds, 250)
        XCTAssertEqual(r.exitBond, UInt256(12))
        XCTAssertEqual(r.minimumStake, .zero)
    }

    func testPlasmaRulesRefuseBadSettingsNamingThem() {
        let period = #""challengePeriodSeconds": 100, "exitAgeCapSeconds": 200"#
        for (section, expected): (String, GenesisError) in [
            ("[]", .wrongType(path: "config.ankr.plasma", expected: "an object")),
            (#"{"exitBond": 1, "challengePeriod": 5}"#, .unknownSetting(path: "config.ankr.plasma.challengePeriod")),
            (#"{"challengePeriodSeconds": "0x10000000000000000"}"#, .outOfRange(path: "config.ankr.plasma.challengePeriodSeconds", must: "fit 64 bits")),
            (#"{\#(period), "exitBond": true}"#, .wrongType(path: "config.ankr.plasma.exitBond", expected: "a number or a string")),
            (#"{\#(period), "minimumStake": "lots"}"#, .notANumber(path: "config.ankr.plasma.minimumStake", text: "lots")),
            (#"{"challengePeriodSeconds": 100, "exitAgeCapSeconds": 199}"#,
             .conflict(path: "config.ankr.plasma.exitAgeCapSeconds", rule: "(199) must be at least twice challengePeriodSeconds (100), "
                        + "leaving owners a reaction window of one challenge period to exit ahead of a withheld block")),
        ] {
            XCTAssertThrowsError(try rules(section)) { XCTAssertEqual($0 as? GenesisError, expected, "\($0) for \(section)") }
        }
        // Twice the largest period overflows: refused, not trapped.
        XCTAssertThrowsError(try rules(#"{"challengePeriodSeconds": "0xffffffffffffffff", "exitAgeCapSeconds": "0xffffffffffffffff"}"#)) {
            XCTAssertTrue("\($0)".hasPrefix("invalid genesis: config.ankr.plasma.exitAgeCapSeconds (18446744073709551615) must be at least twice"), "\($0)")
        }
    }
}
