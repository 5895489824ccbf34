import AnkrDCAP
import AnkrPrimitives
import Crypto
import XCTest

final class TCBInfoTests: XCTestCase {
    private typealias Level = TCBFixtures.Level

    private func refusal(_ text: String) -> CollateralError? {
        do {
            _ = try TCBInfo(json: text)
            return nil
        } catch {
            return error
        }
    }

    private func refusal(_ object: [String: JSON]) -> CollateralError? { refusal(JSON.object(object).text) }

    private func base() -> [String: JSON] {
        TCBFixtures.tcbInfoObject(levels: [Level(sgx: TCBFixtures.components(2, 2), pceSVN: 10, status: "UpToDate")])
    }

    // MARK: the real TCB info

    func testRealTCBInfoIsSignedByTheTCBSigningCertificate() throws {
        let collateral = try TCBFixtures.realCollateral()
        let key = try TCBFixtures.leafKey(collateral.tcbInfoIssuerChain)
        let info = try TCBInfo(json: collateral.tcbInfo, signature: collateral.tcbInfoSignature, signingKey: key)
        XCTAssertEqual(info.teeType, .sgx)
        XCTAssertEqual(info.version, 3)
        XCTAssertEqual(info.issueDate, 1_750_330_571)
        XCTAssertEqual(info.nextUpdate, 1_752_922_571)
        XCTAssertEqual(info.fmspc, [0x00, 0xA0, 0x67, 0x11, 0x00, 0x00])
        XCTAssertEqual(info.pceID, [0, 0])
        XCTAssertEqual(info.tcbEvaluationDataNumber, 17)
        XCTAssertEqual(info.tcbLevels.count, 11)
        XCTAssertEqual(info.tcbLevels.first?.status, .swHardeningNeeded)
        XCTAssertEqual(info.tcbLevels.first?.advisoryIDs, ["INTEL-SA-00615"])
        XCTAssertNil(info.tdxModule)
        try info.checkValidity(at: TCBFixtures.insideWindow)
    }

    func testTamperedTCBInfoOrSignatureOrKeyIsRefused() throws {
        let collateral = try TCBFixtures.realCollateral()
        let key = try TCBFixtures.leafKey(collateral.tcbInfoIssuerChain)
        let tampered = collateral.tcbInfo.replacingOccurrences(of: #""tcbStatus":"OutOfDate""#, with: #""tcbStatus":"UpToDate""#)
        XCTAssertNotEqual(tampered, collateral.tcbInfo)
        XCTAssertThrowsError(try TCBInfo(json: tampered, signature: collateral.tcbInfoSignature, signingKey: key)) {
            XCTAssertEqual($0 as? CollateralError, .invalidSignature(.tcbInfo))
        }
        for index in [0, 31, 32, 63] {
            var signature = collateral.tcbInfoSignature
            signature[index] ^= 0x01
            XCTAssertThrowsError(try TCBInfo(json: collateral.tcbInfo, signature: signature, signingKey: key)) {
                XCTAssertEqual($0 as? CollateralError, .invalidSignature(.tcbInfo))
            }
        }
        XCTAssertThrowsError(try TCBInfo(json: collateral.tcbInfo, signature: collateral.tcbInfoSignature,
                                         signingKey: P256.Signing.PrivateKey().publicKey)) {
            XCTAssertEqual($0 as? CollateralError, .invalidSignature(.tcbInfo))
        }
        XCTAssertThrowsError(try TCBInfo(json: collateral.tcbInfo, signature: Array(collateral.tcbInfoSignature.dropLast()),
                                         signingKey: key)) {
            XCTAssertEqual($0 as? CollateralError, .wrongLength(.tcbInfo, field: "signature", expected: 64, actual: 63))
        }
    }

    func testValidityWindowIsInclusiveAndTheVectorsEarlyTimeIsBeforeTheIssueDate() throws {
        let info = try TCBInfo(json: TCBFixtures.realCollateral().tcbInfo)
        try info.checkValidity(at: info.issueDate)
        try info.checkValidity(at: info.nextUpdate)
        XCTAssertThrowsError(try info.checkValidity(at: 1_748_217_600)) {
            XCTAssertEqual($0 as? CollateralError, .issueDateInFuture(.tcbInfo, issueDate: info.issueDate, time: 1_748_217_600))
        }
        XCTAssertThrowsError(try info.checkValidity(at: info.nextUpdate + 1)) {
            XCTAssertEqual($0 as? CollateralError, .expired(.tcbInfo, nextUpdate: info.nextUpdate, time: info.nextUpdate + 1))
        }
    }

    func testTheVectorPlatformIsConfigurationAndSWHardeningNeeded() throws {
        let info = try TCBInfo(json: TCBFixtures.realCollateral().tcbInfo)
        XCTAssertEqual(try info.platformStatus(for: TCBFixtures.realPlatform),
                       TCBLevelMatch(status: .configurationAndSWHardeningNeeded, advisoryIDs: ["INTEL-SA-00289", "INTEL-SA-00615"]))
        var upgraded = TCBFixtures.realPlatform
        upgraded.cpuSVNComponents[6] = 12
        XCTAssertEqual(try info.platformStatus(for: upgraded).status, .swHardeningNeeded)
        var oldPCE = TCBFixtures.realPlatform
        oldPCE.pceSVN = 12
        XCTAssertEqual(try info.platformStatus(for: oldPCE), TCBLevelMatch(status: .outOfDateConfigurationNeeded, advisoryIDs: [
            "INTEL-SA-00289", "INTEL-SA-00614", "INTEL-SA-00617", "INTEL-SA-00657", "INTEL-SA-00767", "INTEL-SA-00828",
            "INTEL-SA-00615",
        ]))
    }

    // MARK: matching on hand-built levels

    func testEveryStatusComesFromItsLevel() throws {
        let statuses = TCBStatus.allCases
        // One level per status, each a step lower in component 1; a platform at step k lands on level k.
        let levels = statuses.enumerated().map { index, status in
            Level(sgx: TCBFixtures.components(UInt8(20 - index)), pceSVN: 5, status: status.rawValue,
                  advisories: index == 0 ? [] : ["INTEL-SA-\(index)"])
        }
        let info = try TCBFixtures.tcbInfo(levels: levels)
        for (index, status) in statuses.enumerated() {
            let match = try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(UInt8(20 - index), 9), pceSVN: 5))
            XCTAssertEqual(match, TCBLevelMatch(status: status, advisoryIDs: index == 0 ? [] : ["INTEL-SA-\(index)"]))
        }
    }

    func testEveryComponentAndThePCESVNMustBeMet() throws {
        let info = try TCBFixtures.tcbInfo(levels: [
            Level(sgx: TCBFixtures.components(5, 5, 5), pceSVN: 11, status: "UpToDate"),
            Level(sgx: TCBFixtures.components(5, 5, 5), pceSVN: 10, status: "OutOfDate", advisories: ["INTEL-SA-00001"]),
            Level(sgx: TCBFixtures.components(1), pceSVN: 1, status: "OutOfDateConfigurationNeeded"),
        ])
        XCTAssertEqual(try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(5, 5, 5), pceSVN: 11)).status, .upToDate)
        XCTAssertEqual(try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(9, 9, 9, 9), pceSVN: 300)).status,
                       .upToDate)
        XCTAssertEqual(try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(5, 5, 5), pceSVN: 10)).status, .outOfDate)
        // One component below the level (the last one here) is enough to fall through.
        XCTAssertEqual(try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(9, 9, 4), pceSVN: 11)).status,
                       .outOfDateConfigurationNeeded)
        XCTAssertThrowsError(try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(0, 9, 9), pceSVN: 11))) {
            XCTAssertEqual($0 as? CollateralError, .noMatchingTCBLevel)
        }
        XCTAssertThrowsError(try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(9), pceSVN: 0))) {
            XCTAssertEqual($0 as? CollateralError, .noMatchingTCBLevel)
        }
    }

    func testLevelsAreMatchedInIntelsOrderNotTheDocuments() throws {
        // Listed lowest first: a platform meeting both must still get the higher level.
        let info = try TCBFixtures.tcbInfo(levels: [
            Level(sgx: TCBFixtures.components(1), pceSVN: 1, status: "OutOfDate"),
            Level(sgx: TCBFixtures.components(3), pceSVN: 5, status: "SWHardeningNeeded"),
            Level(sgx: TCBFixtures.components(3), pceSVN: 7, status: "UpToDate"),
            Level(sgx: TCBFixtures.components(2, 9), pceSVN: 1, status: "ConfigurationNeeded"),
        ])
        XCTAssertEqual(info.tcbLevels.map(\.status), [.upToDate, .swHardeningNeeded, .configurationNeeded, .outOfDate])
        XCTAssertEqual(try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(3, 9), pceSVN: 7)).status, .upToDate)
        XCTAssertEqual(try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(3, 9), pceSVN: 6)).status,
                       .swHardeningNeeded)
    }

    func testPlatformOfAnotherFamilyOrTEEIsRefused() throws {
        let info = try TCBInfo(json: JSON.object(base()).text)
        var platform = TCBFixtures.platform(TCBFixtures.components(9, 9), pceSVN: 10)
        platform.fmspc[5] = 1
        XCTAssertThrowsError(try info.platformStatus(for: platform)) {
            XCTAssertEqual($0 as? CollateralError, .fmspcMismatch(expected: info.fmspc, actual: platform.fmspc))
        }
        platform = TCBFixtures.platform(TCBFixtures.components(9, 9), pceSVN: 10)
        platform.pceID = [0, 1]
        XCTAssertThrowsError(try info.platformStatus(for: platform)) {
            XCTAssertEqual($0 as? CollateralError, .pceIDMismatch(expected: [0, 0], actual: [0, 1]))
        }
        platform = TCBFixtures.platform(TCBFixtures.components(9, 9), pceSVN: 10, tee: .tdx)
        XCTAssertThrowsError(try info.platformStatus(for: platform)) {
            XCTAssertEqual($0 as? CollateralError, .wrongTEEType(.tcbInfo, id: "SGX", teeType: .tdx))
        }
        platform = TCBFixtures.platform([9, 9], pceSVN: 10)
        XCTAssertThrowsError(try info.platformStatus(for: platform)) {
            XCTAssertEqual($0 as? CollateralError, .invalidInput(field: "cpuSVNComponents", expected: 16, actual: 2))
        }
    }

    // MARK: TDX

    private static let moduleSigner = [UInt8](repeating: 0xAB, count: 48)

    private func tdxInfo(identities: [JSON]? = nil, levels: [Level]? = nil) throws -> TCBInfo {
        var extra: [String: JSON] = [
            "tdxModule": ["mrsigner": .string(Self.moduleSigner.hex), "attributes": "0000000000000000",
                          "attributesMask": "FFFFFFFFFFFFFFFF"],
        ]
        if let identities { extra["tdxModuleIdentities"] = .array(identities) }
        return try TCBFixtures.tcbInfo(id: "TDX", levels: levels ?? [
            Level(sgx: TCBFixtures.components(2), pceSVN: 11, status: "UpToDate", tdx: TCBFixtures.components(5, 0, 3)),
            Level(sgx: TCBFixtures.components(2), pceSVN: 11, status: "OutOfDate", advisories: ["INTEL-SA-00960"],
                  tdx: TCBFixtures.components(3, 0, 2)),
        ], extra: extra)
    }

    private func identity(_ id: String, signer: [UInt8] = moduleSigner, levels: [(Int64, String, [String])]) -> JSON {
        ["id": .string(id), "mrsigner": .string(signer.hex), "attributes": "0000000000000000", "attributesMask": "FFFFFFFFFFFFFFFF",
         "tcbLevels": .array(levels.map { svn, status, advisories in
             ["tcb": ["isvsvn": .int(svn)], "tcbDate": "2025-01-01T00:00:00Z", "tcbStatus": .string(status),
              "advisoryIDs": .array(advisories.map(JSON.string))]
         })]
    }

    private func tdPlatform(_ teeTCBSVN: [UInt8], signer: [UInt8] = moduleSigner, attributes: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0],
                            current: [UInt8]? = nil) -> PlatformTCB {
        TCBFixtures.platform(TCBFixtures.components(2), pceSVN: 11, tee: .tdx,
                             tdx: TDXModuleTCB(teeTCBSVN: teeTCBSVN, mrSignerSeam: signer, seamAttributes: attributes,
                                               teeTCBSVN2: current))
    }

    func testTDReport15sCurrentTCBMustBeRatedButTheStatusIsTheTDs() throws {
        let info = try tdxInfo(identities: [
            identity("TDX_01", levels: [(6, "UpToDate", []), (2, "OutOfDate", ["INTEL-SA-01036"])]),
        ])
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(6, 1, 3), current: TCBFixtures.components(6, 1, 3))),
                       TCBLevelMatch(status: .upToDate, advisoryIDs: []))
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(5, 1, 3), current: TCBFixtures.components(6, 1, 3))),
                       TCBLevelMatch(status: .outOfDate, advisoryIDs: ["INTEL-SA-01036"]))
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(6, 1, 3), current: TCBFixtures.components(2, 1, 2))),
                       TCBLevelMatch(status: .upToDate, advisoryIDs: []))
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(6, 1, 3),
                                                                     current: TCBFixtures.components(9, 1, 1)))) {
            XCTAssertEqual($0 as? CollateralError, .currentTDXTCB(.noMatchingTCBLevel))
        }
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(6, 1, 3),
                                                                     current: TCBFixtures.components(6, 2, 3)))) {
            XCTAssertEqual($0 as? CollateralError, .currentTDXTCB(.tdxModuleIdentityNotFound(id: "TDX_02")))
        }
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(6, 1, 3),
                                                                     current: TCBFixtures.components(1, 1, 3)))) {
            XCTAssertEqual($0 as? CollateralError, .currentTDXTCB(.tdxModuleSVNTooLow(svn: 1)))
        }
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(6, 1, 3), current: [6, 1, 3]))) {
            XCTAssertEqual($0 as? CollateralError, .invalidInput(field: "teeTCBSVN2", expected: 16, actual: 3))
        }
    }

    func testTDXComponentsGateTheLevel() throws {
        let info = try tdxInfo()
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(5, 0, 3))).status, .upToDate)
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(4, 0, 3))),
                       TCBLevelMatch(status: .outOfDate, advisoryIDs: ["INTEL-SA-00960"]))
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(4, 0, 1)))) {
            XCTAssertEqual($0 as? CollateralError, .noMatchingTCBLevel)
        }
        XCTAssertThrowsError(try info.platformStatus(for: TCBFixtures.platform(TCBFixtures.components(2), pceSVN: 11, tee: .tdx))) {
            XCTAssertEqual($0 as? CollateralError, .missingTDXReport)
        }
    }

    func testTDXModuleIdentityOfTheMajorVersionRatesTheModuleAndIsMerged() throws {
        let info = try tdxInfo(identities: [
            identity("TDX_03", levels: [(9, "UpToDate", [])]),
            identity("tdx_01", levels: [(6, "UpToDate", []), (2, "OutOfDate", ["INTEL-SA-01036", "INTEL-SA-00960"])]),
        ])
        // Module major version 1 (TEE TCB SVN byte 1), ISV SVN 6 (byte 0): the UpToDate level of TDX_01.
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(6, 1, 3))).status, .upToDate)
        // ISV SVN 5: the platform is UpToDate but the module's OutOfDate level is merged in.
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(5, 1, 3))),
                       TCBLevelMatch(status: .outOfDate, advisoryIDs: ["INTEL-SA-01036", "INTEL-SA-00960"]))
        // ISV SVN 3: the platform level compares bytes 2 to 15 only (byte 0 is the module's), the module is OutOfDate.
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(3, 1, 3))),
                       TCBLevelMatch(status: .outOfDate, advisoryIDs: ["INTEL-SA-01036", "INTEL-SA-00960"]))
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(1, 1, 3)))) {
            XCTAssertEqual($0 as? CollateralError, .tdxModuleSVNTooLow(svn: 1))
        }
        // Byte 2 below every level still fails the platform match.
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(9, 1, 1)))) {
            XCTAssertEqual($0 as? CollateralError, .noMatchingTCBLevel)
        }
        // Without a major version all 16 bytes count: byte 0 of 4 misses the UpToDate level's 5.
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(4, 0, 3))).status, .outOfDate)
        // A major version needs its identity, even when the TCB info lists none.
        XCTAssertThrowsError(try tdxInfo(identities: []).platformStatus(for: tdPlatform(TCBFixtures.components(5, 1, 3)))) {
            XCTAssertEqual($0 as? CollateralError, .tdxModuleIdentityNotFound(id: "TDX_01"))
        }
        XCTAssertThrowsError(try tdxInfo().platformStatus(for: tdPlatform(TCBFixtures.components(5, 1, 3)))) {
            XCTAssertEqual($0 as? CollateralError, .tdxModuleIdentityNotFound(id: "TDX_01"))
        }
        XCTAssertThrowsError(try tdxInfo(identities: [identity("TDX_01", levels: [(4, "UpToDate", [])])])
            .platformStatus(for: tdPlatform(TCBFixtures.components(3, 1, 2)))) {
            XCTAssertEqual($0 as? CollateralError, .tdxModuleSVNTooLow(svn: 3))
        }
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(5, 2, 3)))) {
            XCTAssertEqual($0 as? CollateralError, .tdxModuleIdentityNotFound(id: "TDX_02"))
        }
        // Major version 0 is checked against tdxModule only and adds no status.
        XCTAssertEqual(try info.platformStatus(for: tdPlatform(TCBFixtures.components(5, 0, 3))).status, .upToDate)
    }

    func testTDXModuleSignerAndAttributesMustMatch() throws {
        let info = try tdxInfo(identities: [identity("TDX_01", signer: [UInt8](repeating: 0xCD, count: 48),
                                                     levels: [(0, "UpToDate", [])])])
        let other = [UInt8](repeating: 0xEF, count: 48)
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(5, 0, 3), signer: other))) {
            XCTAssertEqual($0 as? CollateralError, .tdxModuleSignerMismatch(expected: Self.moduleSigner, actual: other))
        }
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(5, 1, 3)))) {
            XCTAssertEqual($0 as? CollateralError,
                           .tdxModuleSignerMismatch(expected: [UInt8](repeating: 0xCD, count: 48), actual: Self.moduleSigner))
        }
        XCTAssertThrowsError(try info.platformStatus(for: tdPlatform(TCBFixtures.components(5, 0, 3), attributes: [0, 0, 0, 0, 0, 0, 0, 1]))) {
            guard case .tdxModuleAttributesMismatch? = $0 as? CollateralError else { return XCTFail("\($0)") }
        }
        let masked = try TCBFixtures.tcbInfo(id: "TDX", levels: [
            Level(sgx: TCBFixtures.components(2), pceSVN: 11, status: "UpToDate", tdx: TCBFixtures.components(0)),
        ], extra: ["tdxModule": ["mrsigner": .string(Self.moduleSigner.hex), "attributes": "0000000000000000",
                                 "attributesMask": "00000000000000FF"]])
        // A bit outside the mask is refused too (dcap-qvl's defence in depth).
        XCTAssertThrowsError(try masked.platformStatus(for: tdPlatform(TCBFixtures.components(5), attributes: [1, 0, 0, 0, 0, 0, 0, 0]))) {
            guard case .tdxModuleAttributesMismatch? = $0 as? CollateralError else { return XCTFail("\($0)") }
        }
        let noModule = try TCBFixtures.tcbInfo(id: "TDX", levels: [
            Level(sgx: TCBFixtures.components(2), pceSVN: 11, status: "UpToDate", tdx: TCBFixtures.components(0)),
        ])
        XCTAssertThrowsError(try noModule.platformStatus(for: tdPlatform(TCBFixtures.components(5)))) {
            XCTAssertEqual($0 as? CollateralError, .missingTDXModule)
        }
    }

    // MARK: hostile documents

    func testHostileDocumentsAreRefusedWithTypedErrors() throws {
        func with(_ key: String, _ value: JSON?) -> [String: JSON] {
            var object = base()
            object[key] = value
            return object
        }
        func level(_ tcb: [String: JSON], status: JSON = "UpToDate", date: JSON = "2025-01-01T00:00:00Z") -> [String: JSON] {
            with("tcbLevels", [["tcb": .object(tcb), "tcbDate": date, "tcbStatus": status]])
        }
        let sixteen = JSON.array(Array(repeating: ["svn": 1], count: 16))
        let cases: [([String: JSON], CollateralError)] = [
            (with("fmspc", "00906ED500"), .wrongLength(.tcbInfo, field: "fmspc", expected: 6, actual: 5)),
            (with("fmspc", "00906ED5000G"), .invalidHex(.tcbInfo, field: "fmspc")),
            (with("pceId", "00000"), .invalidHex(.tcbInfo, field: "pceId")),
            (with("version", "3"), .wrongType(.tcbInfo, field: "version", expected: "an integer", found: "a string")),
            (with("version", 2), .unsupportedVersion(.tcbInfo, version: 2)),
            (with("version", .double(3.5)), .wrongType(.tcbInfo, field: "version", expected: "an integer", found: "a number")),
            (with("id", "SGX2"), .unsupportedID(.tcbInfo, id: "SGX2")),
            (with("tcbType", -1), .integerOutOfRange(.tcbInfo, field: "tcbType")),
            (with("tcbLevels", nil), .missingField(.tcbInfo, field: "tcbLevels")),
            (with("tcbLevels", ["x"]), .wrongType(.tcbInfo, field: "tcbLevels[0]", expected: "an object", found: "a string")),
            (with("tcbLevels", .array(Array(repeating: base()["tcbLevels"]?[0] ?? nil, count: 257))),
             .tooManyElements(.tcbInfo, field: "tcbLevels", count: 257, limit: 256)),
            (level(["sgxtcbcomponents": .array(Array(repeating: ["svn": 1], count: 15)), "pcesvn": 1]),
             .wrongLength(.tcbInfo, field: "tcbLevels[0].tcb.sgxtcbcomponents", expected: 16, actual: 15)),
            (level(["sgxtcbcomponents": .array(Array(repeating: ["svn": 1], count: 17)), "pcesvn": 1]),
             .tooManyElements(.tcbInfo, field: "tcbLevels[0].tcb.sgxtcbcomponents", count: 17, limit: 16)),
            (level(["sgxtcbcomponents": .array([["svn": 256]] + Array(repeating: ["svn": 1], count: 15)), "pcesvn": 1]),
             .integerOutOfRange(.tcbInfo, field: "tcbLevels[0].tcb.sgxtcbcomponents[0].svn")),
            (level(["sgxtcbcomponents": sixteen, "pcesvn": 65536]), .integerOutOfRange(.tcbInfo, field: "tcbLevels[0].tcb.pcesvn")),
            (level(["sgxtcbcomponents": sixteen, "pcesvn": 1], status: "Fine"),
             .unknownTCBStatus(.tcbInfo, field: "tcbLevels[0].tcbStatus")),
            (level(["sgxtcbcomponents": sixteen, "pcesvn": 1], date: "2025-01-01"),
             .invalidDate(.tcbInfo, field: "tcbLevels[0].tcbDate")),
        ]
        for (object, expected) in cases {
            XCTAssertEqual(refusal(object), expected)
        }
        var advisories = base()
        advisories["tcbLevels"] = [["tcb": ["sgxtcbcomponents": sixteen, "pcesvn": 1], "tcbDate": "2025-01-01T00:00:00Z",
                                    "tcbStatus": "OutOfDate", "advisoryIDs": [.string(String(repeating: "A", count: 65))]]]
        XCTAssertEqual(refusal(advisories), .fieldTooLarge(.tcbInfo, field: "tcbLevels[0].advisoryIDs[0]", size: 65, limit: 64))
        // A TDX level without TDX components.
        XCTAssertEqual(refusal(TCBFixtures.tcbInfoObject(id: "TDX", levels: [Level(sgx: TCBFixtures.components(1), pceSVN: 1,
                                                                                      status: "UpToDate")])),
                       .missingField(.tcbInfo, field: "tcbLevels[0].tcb.tdxtcbcomponents"))
    }

    func testBadDatesAreRefused() {
        let bad = ["2025-06-19", "2025-06-19T10:56:11", "2025-06-19T10:56:11+00:00", "2025-06-19T10:56:11.000Z",
                   "2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-00-10T00:00:00Z", "2025-06-31T00:00:00Z",
                   "2025-06-19T24:00:00Z", "2025-06-19T10:60:00Z", "2025-06-19T10:56:60Z", "1969-12-31T23:59:59Z",
                   "2025-06-19t10:56:11z", "+025-06-19T10:56:11Z", "２025-06-19T10:56:11Z", ""]
        for date in bad {
            var object = base()
            object["issueDate"] = .string(date)
            XCTAssertEqual(refusal(object), .invalidDate(.tcbInfo, field: "issueDate"), date)
        }
        var object = base()
        object["nextUpdate"] = 20_250_619
        XCTAssertEqual(refusal(object), .wrongType(.tcbInfo, field: "nextUpdate", expected: "a string", found: "a number"))
    }

    func testDatesReadAsUnixSeconds() throws {
        for (date, seconds) in [("1970-01-01T00:00:00Z", UInt64(0)), ("2000-02-29T23:59:59Z", 951_868_799),
                                ("9999-12-31T23:59:59Z", 253_402_300_799), ("2025-06-19T10:56:11Z", 1_750_330_571)] {
            var object = base()
            object["issueDate"] = .string(date)
            XCTAssertEqual(try TCBInfo(json: JSON.object(object).text).issueDate, seconds, date)
        }
    }

    func testTruncatedAndOversizedTextIsRefused() throws {
        let text = try TCBFixtures.realCollateral().tcbInfo
        for length in stride(from: 0, to: text.utf8.count, by: 37) {
            guard case .malformedJSON(.tcbInfo, _)? = refusal(String(decoding: text.utf8.prefix(length), as: UTF8.self)) else {
                return XCTFail("a prefix of \(length) bytes was not refused as malformed")
            }
        }
        let huge = #"{"id":""# + String(repeating: "S", count: 10 << 20) + #""}"#
        XCTAssertEqual(refusal(huge), .documentTooLarge(.tcbInfo, size: huge.utf8.count, limit: Collateral.Limits.tcbInfo))
        var object = base()
        object["id"] = .string(String(repeating: "S", count: 100_000))
        XCTAssertEqual(refusal(object), .fieldTooLarge(.tcbInfo, field: "id", size: 100_000, limit: 64))
    }
}
