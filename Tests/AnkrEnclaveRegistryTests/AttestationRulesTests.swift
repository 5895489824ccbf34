import AnkrChain
import AnkrDCAP
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import Foundation
import XCTest

/// `config.ankr.attestation` and the derivation from the older genesis keys.
final class AttestationRulesTests: XCTestCase {
    let root = "0x02" + String(repeating: "11", count: 32)
    let minerMeasurement = "0x" + String(repeating: "aa", count: 32)
    let oracleMeasurement = "0x" + String(repeating: "bb", count: 32)

    func genesis(_ ankr: String) throws -> Genesis { try Genesis(json: Data(#"{"config": {"chainId": 5, "ankr": {\#(ankr)}}}"#.utf8)) }

    func testOlderGenesisKeysDeriveTheRules() throws {
        let g = try genesis("""
            "consensus": "pouw", "attestationRoots": ["\(root)"], "allowedMeasurements": ["\(minerMeasurement)"], "allowSimulatedAttestation": true,
            "oracle": {"attestationRoots": ["\(root)"], "measurements": ["\(oracleMeasurement)"], "allowSimulatedAttestation": true, "minimumFee": "1"}
            """)
        let rules = try AttestationRules(genesis: g)
        XCTAssertEqual(rules.miner.attestationRoots, [try Hex.decode(root)])
        XCTAssertEqual(rules.miner.measurements, [try H256(hex: minerMeasurement)])
        XCTAssertTrue(rules.miner.allowSimulatedAttestation)
        XCTAssertEqual(rules.oracle.measurements, [try H256(hex: oracleMeasurement)])
        XCTAssertTrue(rules.oracle.allowSimulatedAttestation)
        // The DCAP defaults: Intel's root, UpToDate and SWHardeningNeeded, 30 days, no debug.
        XCTAssertEqual(rules.dcapRoot, QuoteVerifier.intelRootCAPublicKey)
        XCTAssertEqual(rules.acceptedStatuses, [.upToDate, .swHardeningNeeded])
        XCTAssertEqual(rules.registrationPeriod, 2_592_000)
        XCTAssertFalse(rules.allowDebug)
        // A dev chain without an oracle section allows nobody.
        let dev = try AttestationRules(genesis: try genesis(#""consensus": "dev""#))
        XCTAssertEqual(dev, AttestationRules())
        XCTAssertFalse(dev.policy(for: .miner).allowSimulated)
    }

    func testTheAttestationSectionIsReadInFull() throws {
        let dcapRoot = "0x04" + String(repeating: "5a", count: 64)
        let mrtd = "0x" + String(repeating: "cd", count: 48)
        let rtmr = "0x" + String(repeating: "0e", count: 48)
        let g = try genesis("""
            "attestation": {"dcapRoot": "\(dcapRoot)", "acceptedStatuses": ["UpToDate"], "registrationPeriod": 3600, "allowDebug": true,
              "miner": {"measurements": ["\(minerMeasurement)"], "signers": [{"mrsigner": "\(oracleMeasurement)", "minIsvSvn": 3}],
                        "mrtd": ["\(mrtd)"], "rtmrs": [["\(rtmr)", "\(rtmr)", "\(rtmr)", "\(rtmr)"]]},
              "oracle": {"attestationRoots": ["\(root)"], "allowSimulatedAttestation": true}}
            """)
        let rules = try AttestationRules(genesis: g)
        XCTAssertEqual(rules.dcapRoot, try Hex.decode(dcapRoot))
        XCTAssertEqual(rules.acceptedStatuses, [.upToDate])
        XCTAssertEqual(rules.registrationPeriod, 3600)
        XCTAssertTrue(rules.allowDebug)
        XCTAssertEqual(rules.miner.signers, [AllowedSigner(mrSigner: try H256(hex: oracleMeasurement), minISVSVN: 3)])
        XCTAssertEqual(rules.miner.mrtd, [try Hex.decode(mrtd)])
        XCTAssertEqual(rules.miner.rtmrs, [[[UInt8]](repeating: try Hex.decode(rtmr), count: 4)])
        XCTAssertFalse(rules.miner.allowSimulatedAttestation)
        XCTAssertTrue(rules.oracle.allowSimulatedAttestation)
        let policy = rules.policy(for: .miner)
        XCTAssertEqual(policy.dcapRoot, try Hex.decode(dcapRoot))
        XCTAssertEqual(policy.allowedMRTDs, [try Hex.decode(mrtd)])
        XCTAssertTrue(policy.allowDebug)
    }

    func testBadSettingsAreRefusedByName() throws {
        func refusal(_ section: String) -> String? {
            do { _ = try AttestationRules(genesis: try genesis(#""attestation": \#(section)"#)); return nil } catch { return "\(error)" }
        }
        XCTAssertEqual(refusal(#"{"dcapRot": "0x"}"#), "invalid genesis: unknown setting config.ankr.attestation.dcapRot")
        XCTAssertEqual(refusal(#"{"dcapRoot": "0x02aa"}"#), "invalid genesis: config.ankr.attestation.dcapRoot is not a 65-byte uncompressed P-256 public key")
        XCTAssertEqual(refusal(#"{"acceptedStatuses": ["Fine"]}"#)?.hasPrefix("invalid genesis: config.ankr.attestation.acceptedStatuses[0] is not a TCB status"), true)
        XCTAssertEqual(refusal(#"{"registrationPeriod": 0}"#), "invalid genesis: config.ankr.attestation.registrationPeriod must be positive")
        XCTAssertEqual(refusal(#"{"miner": {"signers": [{"minIsvSvn": 1}]}}"#), "invalid genesis: config.ankr.attestation.miner.signers[0].mrsigner is required")
        XCTAssertEqual(refusal(#"{"miner": {"signers": [{"mrsigner": "\#(minerMeasurement)", "minIsvSvn": 70000}]}}"#),
                       "invalid genesis: config.ankr.attestation.miner.signers[0].minIsvSvn must fit 16 bits")
        XCTAssertEqual(refusal(#"{"oracle": {"rtmrs": [["0x00"]]}}"#),
                       "invalid genesis: config.ankr.attestation.oracle.rtmrs[0] is not a list of four 48-byte RTMRs")
        XCTAssertEqual(refusal(#"{"oracle": {"mrtd": ["0x00"]}}"#), "invalid genesis: config.ankr.attestation.oracle.mrtd[0] is not a 48-byte MRTD")
        XCTAssertEqual(refusal(#"{"miner": {"mrtd": ["0x\#(String(repeating: "cd", count: 48))"]}}"#),
                       "invalid genesis: config.ankr.attestation.miner.rtmrs is required", "an MRTD alone admits any kernel")
        XCTAssertEqual(refusal(#"{"collateral": [{"tcb_info": "{}"}]}"#),
                       "invalid genesis: config.ankr.attestation.collateral[0] is not a DCAP collateral document (the dcap-qvl JSON layout)")
        XCTAssertEqual(refusal(#"{"miner": {"allowDebug": true}}"#), "invalid genesis: unknown setting config.ankr.attestation.miner.allowDebug")
        XCTAssertEqual(refusal(#"[]"#), "invalid genesis: config.ankr.attestation must be an object")
    }
}
