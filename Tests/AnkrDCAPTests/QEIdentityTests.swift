import AnkrDCAP
import AnkrPrimitives
import Crypto
import XCTest

final class QEIdentityTests: XCTestCase {
    private static let levels: [(isvsvn: Int64, status: String, advisories: [String])] = [
        (8, "UpToDate", []), (6, "OutOfDate", ["INTEL-SA-00615"]), (5, "OutOfDate", ["INTEL-SA-00477", "INTEL-SA-00615"]),
    ]

    private func identity() throws -> QEIdentity {
        try QEIdentity(json: JSON.object(TCBFixtures.qeIdentityObject(levels: Self.levels)).text)
    }

    private func refusal(_ object: [String: JSON]) -> CollateralError? {
        do {
            _ = try QEIdentity(json: JSON.object(object).text)
            return nil
        } catch {
            return error
        }
    }

    func testRealQEIdentityIsSignedAndRatesTheVectorsQuotingEnclaveUpToDate() throws {
        let collateral = try TCBFixtures.realCollateral()
        let key = try TCBFixtures.leafKey(collateral.qeIdentityIssuerChain)
        let identity = try QEIdentity(json: collateral.qeIdentity, signature: collateral.qeIdentitySignature, signingKey: key)
        XCTAssertEqual(identity.id, "QE")
        XCTAssertEqual(identity.version, 2)
        XCTAssertEqual(identity.issueDate, 1_750_327_278)
        XCTAssertEqual(identity.nextUpdate, 1_752_919_278)
        XCTAssertEqual(identity.isvProdID, 1)
        XCTAssertEqual(identity.tcbLevels.map(\.isvSVN), [8, 6, 5, 4, 2, 1])
        try identity.checkValidity(at: TCBFixtures.insideWindow)
        XCTAssertEqual(try identity.qeStatus(for: TCBFixtures.realQEReport), TCBLevelMatch(status: .upToDate, advisoryIDs: []))

        var tampered = collateral.qeIdentitySignature
        tampered[40] ^= 0x80
        XCTAssertThrowsError(try QEIdentity(json: collateral.qeIdentity, signature: tampered, signingKey: key)) {
            XCTAssertEqual($0 as? CollateralError, .invalidSignature(.qeIdentity))
        }
        let edited = collateral.qeIdentity.replacingOccurrences(of: #""isvprodid":1"#, with: #""isvprodid":2"#)
        XCTAssertThrowsError(try QEIdentity(json: edited, signature: collateral.qeIdentitySignature, signingKey: key)) {
            XCTAssertEqual($0 as? CollateralError, .invalidSignature(.qeIdentity))
        }
    }

    func testValidityWindow() throws {
        let identity = try identity()
        try identity.checkValidity(at: TCBFixtures.issueTime)
        try identity.checkValidity(at: TCBFixtures.nextUpdateTime)
        XCTAssertThrowsError(try identity.checkValidity(at: TCBFixtures.issueTime - 1)) {
            XCTAssertEqual($0 as? CollateralError,
                           .issueDateInFuture(.qeIdentity, issueDate: TCBFixtures.issueTime, time: TCBFixtures.issueTime - 1))
        }
        XCTAssertThrowsError(try identity.checkValidity(at: TCBFixtures.nextUpdateTime + 1)) {
            XCTAssertEqual($0 as? CollateralError,
                           .expired(.qeIdentity, nextUpdate: TCBFixtures.nextUpdateTime, time: TCBFixtures.nextUpdateTime + 1))
        }
    }

    func testISVSVNPicksTheFirstLevelItMeets() throws {
        let identity = try identity()
        XCTAssertEqual(try identity.qeStatus(for: TCBFixtures.qeReport(isvSVN: 9)).status, .upToDate)
        XCTAssertEqual(try identity.qeStatus(for: TCBFixtures.qeReport(isvSVN: 7)),
                       TCBLevelMatch(status: .outOfDate, advisoryIDs: ["INTEL-SA-00615"]))
        XCTAssertEqual(try identity.qeStatus(for: TCBFixtures.qeReport(isvSVN: 5)),
                       TCBLevelMatch(status: .outOfDate, advisoryIDs: ["INTEL-SA-00477", "INTEL-SA-00615"]))
        XCTAssertThrowsError(try identity.qeStatus(for: TCBFixtures.qeReport(isvSVN: 4))) {
            XCTAssertEqual($0 as? CollateralError, .qeSVNTooLow(svn: 4))
        }
    }

    func testTheQuotingEnclaveMustBeTheOneTheIdentityDescribes() throws {
        let identity = try identity()
        var report = TCBFixtures.qeReport(isvSVN: 8)
        report.mrSigner[0] ^= 1
        XCTAssertThrowsError(try identity.qeStatus(for: report)) {
            XCTAssertEqual($0 as? CollateralError, .qeSignerMismatch(expected: identity.mrSigner, actual: report.mrSigner))
        }
        report = TCBFixtures.qeReport(isvSVN: 8)
        report.isvProdID = 2
        XCTAssertThrowsError(try identity.qeStatus(for: report)) {
            XCTAssertEqual($0 as? CollateralError, .qeProductIDMismatch(expected: 1, actual: 2))
        }
        report = TCBFixtures.qeReport(isvSVN: 8)
        report.miscSelect = 0x0000_0100
        XCTAssertThrowsError(try identity.qeStatus(for: report)) {
            XCTAssertEqual($0 as? CollateralError, .qeMiscSelectMismatch(expected: 0, actual: 0x0000_0100))
        }
        report = TCBFixtures.qeReport(isvSVN: 8)
        report.attributes[0] = 0x01  // INIT without MODE64BIT
        XCTAssertThrowsError(try identity.qeStatus(for: report)) {
            guard case .qeAttributesMismatch? = $0 as? CollateralError else { return XCTFail("\($0)") }
        }
        report = TCBFixtures.qeReport(isvSVN: 8)
        report.attributes[0] = 0x13  // DEBUG
        XCTAssertThrowsError(try identity.qeStatus(for: report)) {
            XCTAssertEqual($0 as? CollateralError, .qeDebugEnabled)
        }
        // Bits outside the masks do not matter: ATTRIBUTES bit 2 (mask FB) and bytes 8 to 15 (mask 00).
        report = TCBFixtures.qeReport(isvSVN: 8)
        report.attributes[0] = 0x15
        report.attributes[12] = 0xFF
        XCTAssertEqual(try identity.qeStatus(for: report).status, .upToDate)
        report.attributes = [0x11]
        XCTAssertThrowsError(try identity.qeStatus(for: report)) {
            XCTAssertEqual($0 as? CollateralError, .invalidInput(field: "attributes", expected: 16, actual: 1))
        }
    }

    func testMiscSelectIsComparedUnderItsLittleEndianMask() throws {
        var object = TCBFixtures.qeIdentityObject(levels: Self.levels)
        object["miscselect"] = "01000000"
        object["miscselectMask"] = "0F000000"
        let identity = try QEIdentity(json: JSON.object(object).text)
        var report = TCBFixtures.qeReport(isvSVN: 8)
        report.miscSelect = 0xF1
        XCTAssertEqual(try identity.qeStatus(for: report).status, .upToDate)
        report.miscSelect = 0x0100_0001
        XCTAssertEqual(try identity.qeStatus(for: report).status, .upToDate)
        report.miscSelect = 0x0100_0000
        XCTAssertThrowsError(try identity.qeStatus(for: report)) {
            XCTAssertEqual($0 as? CollateralError, .qeMiscSelectMismatch(expected: 1, actual: 0))
        }
    }

    func testHostileDocumentsAreRefusedWithTypedErrors() {
        func with(_ key: String, _ value: JSON?) -> [String: JSON] {
            var object = TCBFixtures.qeIdentityObject(levels: Self.levels)
            object[key] = value
            return object
        }
        let cases: [([String: JSON], CollateralError)] = [
            (with("id", "QVE"), .unsupportedID(.qeIdentity, id: "QVE")),
            (with("version", 1), .unsupportedVersion(.qeIdentity, version: 1)),
            (with("attributes", "1100000000000000000000000000000"), .invalidHex(.qeIdentity, field: "attributes")),
            (with("attributes", "110000000000000000000000000000"), .wrongLength(.qeIdentity, field: "attributes", expected: 16, actual: 15)),
            (with("mrsigner", "8C4F"), .wrongLength(.qeIdentity, field: "mrsigner", expected: 32, actual: 2)),
            (with("miscselectMask", nil), .missingField(.qeIdentity, field: "miscselectMask")),
            (with("isvprodid", 70000), .integerOutOfRange(.qeIdentity, field: "isvprodid")),
            (with("isvprodid", true), .wrongType(.qeIdentity, field: "isvprodid", expected: "an integer", found: "a boolean")),
            (with("nextUpdate", "2026-02-01 00:00:00Z"), .invalidDate(.qeIdentity, field: "nextUpdate")),
            (with("tcbLevels", .array(Array(repeating: ["tcb": ["isvsvn": 1]], count: 300))),
             .tooManyElements(.qeIdentity, field: "tcbLevels", count: 300, limit: 256)),
            (with("tcbLevels", [["tcb": ["isvsvn": -1], "tcbDate": "2025-01-01T00:00:00Z", "tcbStatus": "UpToDate"]]),
             .integerOutOfRange(.qeIdentity, field: "tcbLevels[0].tcb.isvsvn")),
            (with("tcbLevels", [["tcb": ["isvsvn": 1], "tcbDate": "2025-01-01T00:00:00Z", "tcbStatus": "UpToDate",
                                 "advisoryIDs": "INTEL-SA-00615"]]),
             .wrongType(.qeIdentity, field: "tcbLevels[0].advisoryIDs", expected: "an array", found: "a string")),
            (with("tcbLevels", [["tcb": ["isvsvn": 1], "tcbDate": "2025-01-01T00:00:00Z", "tcbStatus": "UpToDate",
                                 "advisoryIDs": .array(Array(repeating: "INTEL-SA-00615", count: 257))]]),
             .tooManyElements(.qeIdentity, field: "tcbLevels[0].advisoryIDs", count: 257, limit: 256)),
        ]
        for (object, expected) in cases {
            XCTAssertEqual(refusal(object), expected)
        }
        let huge = #"{"id":"QE","mrsigner":""# + String(repeating: "0", count: 10 << 20) + #""}"#
        XCTAssertThrowsError(try QEIdentity(json: huge)) {
            XCTAssertEqual($0 as? CollateralError, .documentTooLarge(.qeIdentity, size: huge.utf8.count, limit: Collateral.Limits.qeIdentity))
        }
        XCTAssertThrowsError(try QEIdentity(json: #"{"id":"QE","version":2,"issueDate":"2026-01-01T00:00:00Z""#)) {
            guard case .malformedJSON(.qeIdentity, _)? = $0 as? CollateralError else { return XCTFail("\($0)") }
        }
    }
}
