import AnkrDCAP
import AnkrPrimitives
import Crypto
import XCTest

final class TCBEvaluationTests: XCTestCase {
    private typealias Level = TCBFixtures.Level

    // MARK: the real vector

    func testTheVectorEvaluatesAsDcapQvlDoes() throws {
        let collateral = try TCBFixtures.realCollateral()
        let tcbKey = try TCBFixtures.leafKey(collateral.tcbInfoIssuerChain)
        let qeKey = try TCBFixtures.leafKey(collateral.qeIdentityIssuerChain)
        let results = try TCBFixtures.expectedResults()
        let accepted = try XCTUnwrap(results.first { $0["status"] != nil })
        let time = try XCTUnwrap(accepted["time"]?.int)
        let verdict = try TCBEvaluation.evaluate(collateral: collateral, tcbInfoSigningKey: tcbKey, qeIdentitySigningKey: qeKey,
                                                 platform: TCBFixtures.realPlatform, qeReport: TCBFixtures.realQEReport,
                                                 time: UInt64(time))
        XCTAssertEqual(verdict.status.rawValue, accepted["status"]?.string)
        XCTAssertEqual(verdict.advisoryIDs, accepted["advisory_ids"]?.array?.compactMap(\.string))
        XCTAssertEqual(verdict.qeStatus.rawValue, accepted["qe_status"]?.string)
        XCTAssertEqual(verdict.platformStatus.rawValue, accepted["platform_status"]?.string)
        XCTAssertEqual(verdict.status, .configurationAndSWHardeningNeeded)
        XCTAssertEqual(verdict.advisoryIDs, ["INTEL-SA-00289", "INTEL-SA-00615"])

        let early = try XCTUnwrap(results.first { $0["case"]?.string == "before the TCB info was issued" }?["time"]?.int)
        XCTAssertThrowsError(try TCBEvaluation.evaluate(collateral: collateral, tcbInfoSigningKey: tcbKey, qeIdentitySigningKey: qeKey,
                                                        platform: TCBFixtures.realPlatform, qeReport: TCBFixtures.realQEReport,
                                                        time: UInt64(early))) {
            XCTAssertEqual($0 as? CollateralError, .issueDateInFuture(.tcbInfo, issueDate: 1_750_330_571, time: UInt64(early)))
        }
        // The QE identity was issued 55 minutes before the TCB info: between the two, only the TCB info is early.
        XCTAssertThrowsError(try TCBEvaluation.evaluate(collateral: collateral, tcbInfoSigningKey: tcbKey, qeIdentitySigningKey: qeKey,
                                                        platform: TCBFixtures.realPlatform, qeReport: TCBFixtures.realQEReport,
                                                        time: 1_750_330_000)) {
            XCTAssertEqual($0 as? CollateralError, .issueDateInFuture(.tcbInfo, issueDate: 1_750_330_571, time: 1_750_330_000))
        }
        XCTAssertThrowsError(try TCBEvaluation.evaluate(collateral: collateral, tcbInfoSigningKey: tcbKey, qeIdentitySigningKey: qeKey,
                                                        platform: TCBFixtures.realPlatform, qeReport: TCBFixtures.realQEReport,
                                                        time: 1_752_920_000)) {
            XCTAssertEqual($0 as? CollateralError, .expired(.qeIdentity, nextUpdate: 1_752_919_278, time: 1_752_920_000))
        }
    }

    // MARK: merging

    func testMergeKeepsTheWorseStatusInDcapQvlsOrder() {
        let order: [TCBStatus] = [.upToDate, .swHardeningNeeded, .configurationNeeded, .configurationAndSWHardeningNeeded,
                                  .outOfDate, .outOfDateConfigurationNeeded, .revoked]
        XCTAssertEqual(Set(order), Set(TCBStatus.allCases))
        for (i, a) in order.enumerated() {
            for (j, b) in order.enumerated() {
                let merged = TCBLevelMatch(status: a, advisoryIDs: []).merged(with: TCBLevelMatch(status: b, advisoryIDs: []))
                XCTAssertEqual(merged.status, order[max(i, j)], "\(a) + \(b)")
            }
        }
    }

    func testMergeListsThePlatformsAdvisoriesThenTheNewOnes() {
        let platform = TCBLevelMatch(status: .swHardeningNeeded, advisoryIDs: ["INTEL-SA-00615", "INTEL-SA-00289"])
        let qe = TCBLevelMatch(status: .outOfDate, advisoryIDs: ["INTEL-SA-00477", "INTEL-SA-00615", "INTEL-SA-00477"])
        XCTAssertEqual(platform.merged(with: qe),
                       TCBLevelMatch(status: .outOfDate, advisoryIDs: ["INTEL-SA-00615", "INTEL-SA-00289", "INTEL-SA-00477"]))
        XCTAssertEqual(qe.merged(with: platform).advisoryIDs, ["INTEL-SA-00477", "INTEL-SA-00615", "INTEL-SA-00477", "INTEL-SA-00289"])
        let verdict = TCBVerdict(platform: platform, qe: qe)
        XCTAssertEqual(verdict.status, .outOfDate)
        XCTAssertEqual(verdict.platformStatus, .swHardeningNeeded)
        XCTAssertEqual(verdict.qeStatus, .outOfDate)
        XCTAssertEqual(verdict.qeAdvisoryIDs, qe.advisoryIDs)
        XCTAssertEqual(verdict.platformAdvisoryIDs, platform.advisoryIDs)
    }

    // MARK: signed hand-built documents

    private let key = P256.Signing.PrivateKey()

    private func evaluate(_ collateral: Collateral, platform: PlatformTCB, qe: QEReportIdentity,
                          time: UInt64 = TCBFixtures.issueTime + 1) throws -> TCBVerdict {
        try TCBEvaluation.evaluate(collateral: collateral, tcbInfoSigningKey: key.publicKey, qeIdentitySigningKey: key.publicKey,
                                   platform: platform, qeReport: qe, time: time)
    }

    private let qeLevels: [(isvsvn: Int64, status: String, advisories: [String])] = [
        (8, "UpToDate", []), (6, "OutOfDate", ["INTEL-SA-00615"]), (3, "Revoked", ["INTEL-SA-00001"]),
    ]

    func testQuotingEnclaveAndPlatformStatusesCombine() throws {
        let collateral = try TCBFixtures.signedCollateral(
            tcbInfo: TCBFixtures.tcbInfoObject(levels: [
                Level(sgx: TCBFixtures.components(4), pceSVN: 10, status: "UpToDate"),
                Level(sgx: TCBFixtures.components(3), pceSVN: 10, status: "ConfigurationNeeded", advisories: ["INTEL-SA-00289"]),
                Level(sgx: TCBFixtures.components(2), pceSVN: 10, status: "Revoked", advisories: ["INTEL-SA-00002"]),
            ]),
            qeIdentity: TCBFixtures.qeIdentityObject(levels: qeLevels), key: key)
        let current = TCBFixtures.platform(TCBFixtures.components(4), pceSVN: 10)
        let configuration = TCBFixtures.platform(TCBFixtures.components(3), pceSVN: 10)

        var verdict = try evaluate(collateral, platform: current, qe: TCBFixtures.qeReport(isvSVN: 8))
        XCTAssertEqual([verdict.status, verdict.platformStatus, verdict.qeStatus], [.upToDate, .upToDate, .upToDate])
        XCTAssertEqual(verdict.advisoryIDs, [])

        verdict = try evaluate(collateral, platform: configuration, qe: TCBFixtures.qeReport(isvSVN: 8))
        XCTAssertEqual(verdict.status, .configurationNeeded)
        XCTAssertEqual(verdict.advisoryIDs, ["INTEL-SA-00289"])

        verdict = try evaluate(collateral, platform: configuration, qe: TCBFixtures.qeReport(isvSVN: 7))
        XCTAssertEqual([verdict.status, verdict.platformStatus, verdict.qeStatus], [.outOfDate, .configurationNeeded, .outOfDate])
        XCTAssertEqual(verdict.advisoryIDs, ["INTEL-SA-00289", "INTEL-SA-00615"])

        XCTAssertThrowsError(try evaluate(collateral, platform: current, qe: TCBFixtures.qeReport(isvSVN: 3))) {
            XCTAssertEqual($0 as? CollateralError, .revoked(advisoryIDs: ["INTEL-SA-00001"]))
        }
        XCTAssertThrowsError(try evaluate(collateral, platform: TCBFixtures.platform(TCBFixtures.components(2), pceSVN: 10),
                                          qe: TCBFixtures.qeReport(isvSVN: 7))) {
            XCTAssertEqual($0 as? CollateralError, .revoked(advisoryIDs: ["INTEL-SA-00002", "INTEL-SA-00615"]))
        }
    }

    func testDocumentsMustBeSignedFreshAndForTheQuotesTEE() throws {
        let tcbInfo = TCBFixtures.tcbInfoObject(levels: [Level(sgx: TCBFixtures.components(1), pceSVN: 1, status: "UpToDate")])
        let collateral = try TCBFixtures.signedCollateral(tcbInfo: tcbInfo, qeIdentity: TCBFixtures.qeIdentityObject(levels: qeLevels),
                                                          key: key)
        let platform = TCBFixtures.platform(TCBFixtures.components(1), pceSVN: 1)
        let qe = TCBFixtures.qeReport(isvSVN: 8)
        XCTAssertEqual(try evaluate(collateral, platform: platform, qe: qe).status, .upToDate)

        XCTAssertThrowsError(try TCBEvaluation.evaluate(collateral: collateral, tcbInfoSigningKey: P256.Signing.PrivateKey().publicKey,
                                                        qeIdentitySigningKey: key.publicKey, platform: platform, qeReport: qe,
                                                        time: TCBFixtures.issueTime)) {
            XCTAssertEqual($0 as? CollateralError, .invalidSignature(.tcbInfo))
        }
        XCTAssertThrowsError(try TCBEvaluation.evaluate(collateral: collateral, tcbInfoSigningKey: key.publicKey,
                                                        qeIdentitySigningKey: P256.Signing.PrivateKey().publicKey, platform: platform,
                                                        qeReport: qe, time: TCBFixtures.issueTime)) {
            XCTAssertEqual($0 as? CollateralError, .invalidSignature(.qeIdentity))
        }
        XCTAssertThrowsError(try evaluate(collateral, platform: platform, qe: qe, time: TCBFixtures.nextUpdateTime + 1)) {
            XCTAssertEqual($0 as? CollateralError, .expired(.tcbInfo, nextUpdate: TCBFixtures.nextUpdateTime, time: TCBFixtures.nextUpdateTime + 1))
        }

        // A TDX platform with SGX documents: the QE identity is the SGX one.
        let tdx = TCBFixtures.platform(TCBFixtures.components(1), pceSVN: 1, tee: .tdx,
                                       tdx: TDXModuleTCB(teeTCBSVN: TCBFixtures.components(1), mrSignerSeam: [UInt8](repeating: 0, count: 48),
                                                         seamAttributes: [UInt8](repeating: 0, count: 8)))
        XCTAssertThrowsError(try evaluate(collateral, platform: tdx, qe: qe)) {
            XCTAssertEqual($0 as? CollateralError, .wrongTEEType(.qeIdentity, id: "QE v2", teeType: .tdx))
        }
        // The TD quoting enclave's identity with SGX TCB info.
        let tdQE = try TCBFixtures.signedCollateral(tcbInfo: tcbInfo, qeIdentity: TCBFixtures.qeIdentityObject(id: "TD_QE", version: 3,
                                                                                                            levels: qeLevels), key: key)
        XCTAssertThrowsError(try evaluate(tdQE, platform: platform, qe: qe)) {
            XCTAssertEqual($0 as? CollateralError, .wrongTEEType(.qeIdentity, id: "TD_QE v3", teeType: .sgx))
        }
        XCTAssertThrowsError(try evaluate(tdQE, platform: tdx, qe: qe)) {
            XCTAssertEqual($0 as? CollateralError, .wrongTEEType(.tcbInfo, id: "SGX", teeType: .tdx))
        }
    }

    func testTDXQuoteWithTDXDocumentsEvaluates() throws {
        let signer = [UInt8](repeating: 0x5A, count: 48)
        let tcbInfo = TCBFixtures.tcbInfoObject(id: "TDX", levels: [
            Level(sgx: TCBFixtures.components(2), pceSVN: 11, status: "UpToDate", tdx: TCBFixtures.components(3)),
            Level(sgx: TCBFixtures.components(2), pceSVN: 11, status: "OutOfDate", advisories: ["INTEL-SA-01036"],
                  tdx: TCBFixtures.components(1)),
        ], extra: ["tdxModule": ["mrsigner": .string(signer.hex), "attributes": "0000000000000000", "attributesMask": "FFFFFFFFFFFFFFFF"]])
        let collateral = try TCBFixtures.signedCollateral(
            tcbInfo: tcbInfo, qeIdentity: TCBFixtures.qeIdentityObject(id: "TD_QE", levels: qeLevels), key: key)
        let tdx = TCBFixtures.platform(TCBFixtures.components(2), pceSVN: 11, tee: .tdx,
                                       tdx: TDXModuleTCB(teeTCBSVN: TCBFixtures.components(2), mrSignerSeam: signer,
                                                         seamAttributes: [UInt8](repeating: 0, count: 8)))
        let verdict = try evaluate(collateral, platform: tdx, qe: TCBFixtures.qeReport(isvSVN: 6))
        XCTAssertEqual([verdict.status, verdict.platformStatus, verdict.qeStatus], [.outOfDate, .outOfDate, .outOfDate])
        XCTAssertEqual(verdict.advisoryIDs, ["INTEL-SA-01036", "INTEL-SA-00615"])
    }
}
