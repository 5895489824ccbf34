import AnkrChain
import AnkrEnclave
import AnkrOracle
import AnkrPrimitives
import XCTest

/// `config.ankr.oracle` read by the oracle target itself: defaults, every setting, and each bad
/// value refused with the ``GenesisError`` that names it.
extension NOSContractTests {
    private func oracleRules(_ section: String) throws -> OracleRules { try OracleRules(genesisSection: JSON(parsing: section)) }

    func testOracleRulesReadTheirGenesisSection() throws {
        XCTAssertEqual(try OracleRules(genesisSection: nil), OracleRules())
        XCTAssertEqual(try oracleRules("{}"), OracleRules())
        let key = rootKey.publicKey.compressed, measurement = SimulatedEnclave.measurement(named: "ankr-oracle-v1")
        let r = try oracleRules("""
            {"attestationRoots": ["\(key.hexPrefixed)"], "measurements": ["\(measurement)"], "allowSimulatedAttestation": true,
             "minimumFee": "1000", "cancellationFee": 100, "treasury": "\(treasury)"}
            """)
        XCTAssertEqual(r, rules, "the rules these tests run the contract with")
        XCTAssertEqual(try oracleRules(#"{"quorumDeviationBps": 250}"#).quorumDeviationBps, 250)
        XCTAssertEqual(try oracleRules(#"{"maxReimbursedTip": "0x3b9aca00"}"#).maxReimbursedTip, UInt256(1_000_000_000))
        XCTAssertEqual(OracleRules().maxReimbursedTip, UInt256(2_000_000_000))
    }

    func testOracleRulesRefuseBadSettingsNamingThem() {
        let key = "0x02" + String(repeating: "11", count: 32)
        for (section, expected): (String, GenesisError) in [
            ("5", .wrongType(path: "config.ankr.oracle", expected: "an object")),
            (#"{"treasury": "0x00000000000000000000000000000000000000aa", "fee": 1}"#, .unknownSetting(path: "config.ankr.oracle.fee")),
            (#"{"attestationRoots": "\#(key)"}"#, .wrongType(path: "config.ankr.oracle.attestationRoots", expected: "a list")),
            (#"{"attestationRoots": ["\#(key)", "\#(key)00"]}"#,
             .malformed(path: "config.ankr.oracle.attestationRoots[1]", expected: "a 33-byte compressed public key")),
            (#"{"measurements": [null]}"#, .malformed(path: "config.ankr.oracle.measurements[0]", expected: "a 32-byte hash")),
            (#"{"allowSimulatedAttestation": "true"}"#, .wrongType(path: "config.ankr.oracle.allowSimulatedAttestation", expected: "true or false")),
            (#"{"minimumFee": -1}"#,
             .outOfRange(path: "config.ankr.oracle.minimumFee", must: "be a non-negative integer below 2^63 (write larger ones as strings)")),
            (#"{"minimumFee": 10, "cancellationFee": 11}"#, .conflict(path: "config.ankr.oracle.cancellationFee", rule: "must not exceed minimumFee")),
            (#"{"treasury": "0x12"}"#, .malformed(path: "config.ankr.oracle.treasury", expected: "an address")),
            (#"{"quorumDeviationBps": 10001}"#, .outOfRange(path: "config.ankr.oracle.quorumDeviationBps", must: "be at most 10000 (100%)")),
        ] {
            XCTAssertThrowsError(try oracleRules(section)) { XCTAssertEqual($0 as? GenesisError, expected, "\($0) for \(section)") }
        }
    }
}
