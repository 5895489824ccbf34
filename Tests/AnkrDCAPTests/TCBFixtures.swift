import AnkrDCAP
import AnkrPrimitives
import AnkrTestSupport
import Crypto
import Foundation
import X509

/// The real SGX collateral of `../shared/vectors/sgx` and hand-built TCB info / QE identity documents signed with a
/// local key, for the TCB tests.
enum TCBFixtures {
    /// The vector directory `sgx/` beside the Ethereum vectors.
    static func vectorURL(_ name: String, filePath: String = #filePath) -> URL {
        Vectors.ethereum(filePath: filePath).deletingLastPathComponent().appendingPathComponent("sgx/\(name)")
    }

    static func realCollateralJSON() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: vectorURL("sgx_quote_collateral.json")))
    }

    static func realCollateral() throws -> Collateral {
        try Collateral(json: realCollateralJSON())
    }

    /// `expected.json`'s results.
    static func expectedResults() throws -> [JSON] {
        let json = try JSON(parsing: [UInt8](Data(contentsOf: vectorURL("expected.json"))))
        return json["results"]?.array ?? []
    }

    /// The P-256 key of the first (leaf) certificate of a PEM chain: the TCB signing certificate.
    static func leafKey(_ pemChain: String) throws -> P256.Signing.PublicKey {
        let end = "-----END CERTIFICATE-----"
        guard let range = pemChain.range(of: end) else { throw FixtureError.noCertificate }
        let certificate = try Certificate(pemEncoded: String(pemChain[..<range.upperBound]))
        guard let key = P256.Signing.PublicKey(certificate.publicKey) else { throw FixtureError.notP256 }
        return key
    }

    enum FixtureError: Error { case noCertificate, notP256 }

    /// Inside the vector collateral's window (expected.json's first case).
    static let insideWindow: UInt64 = 1_750_809_600

    /// The SGX TCB components and PCE SVN of the vector quote's PCK certificate, as dcap-qvl 0.7.0's
    /// `parse_quote(quote).pck_extension()` reports them (cpu_svn, pce_svn; pce_id 0000, fmspc 00a067110000).
    static let realPlatform = PlatformTCB(teeType: .sgx, fmspc: [0x00, 0xA0, 0x67, 0x11, 0x00, 0x00], pceID: [0, 0],
                                          cpuSVNComponents: [11, 11, 2, 2, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                                          pceSVN: 13, tdx: nil)

    /// The vector quote's QE report fields (SGX quote v3: the QE report at byte 564 of the quote; MISCSELECT at
    /// +16, ATTRIBUTES +48, MRSIGNER +128, ISVPRODID +256, ISVSVN +258), read with Python from the quote file.
    static let realQEReport = QEReportIdentity(
        mrSigner: hex("8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff"), isvProdID: 1, miscSelect: 0,
        attributes: hex("1500000000000000e700000000000000"), isvSVN: 10)

    static func hex(_ text: String) -> [UInt8] { (try? [UInt8](hex: text)) ?? [] }

    // MARK: hand-built documents

    static let fmspc = "00906ED50000"
    static let issueDate = "2026-01-01T00:00:00Z"
    static let nextUpdate = "2026-02-01T00:00:00Z"
    static let issueTime: UInt64 = 1_767_225_600
    static let nextUpdateTime: UInt64 = 1_769_904_000

    /// One TCB level: SGX components, PCE SVN, status, advisories, and TDX components for TDX documents.
    struct Level {
        var sgx: [UInt8]
        var pceSVN: Int64
        var status: String
        var advisories: [String] = []
        var tdx: [UInt8]? = nil

        var json: JSON {
            var tcb: [String: JSON] = ["sgxtcbcomponents": .array(sgx.map { ["svn": .int(Int64($0))] }), "pcesvn": .int(pceSVN)]
            if let tdx {
                tcb["tdxtcbcomponents"] = .array(tdx.map { ["svn": .int(Int64($0)), "category": "OS/VMM", "type": "TDX Module"] })
            }
            var level: [String: JSON] = ["tcb": .object(tcb), "tcbDate": "2025-01-01T00:00:00Z", "tcbStatus": .string(status)]
            if !advisories.isEmpty { level["advisoryIDs"] = .array(advisories.map(JSON.string)) }
            return .object(level)
        }
    }

    /// Sixteen components with the first ones given.
    static func components(_ leading: UInt8...) -> [UInt8] { leading + [UInt8](repeating: 0, count: 16 - leading.count) }

    static func tcbInfoObject(id: String = "SGX", levels: [Level], extra: [String: JSON] = [:]) -> [String: JSON] {
        var object: [String: JSON] = [
            "id": .string(id), "version": 3, "issueDate": .string(issueDate), "nextUpdate": .string(nextUpdate),
            "fmspc": .string(fmspc), "pceId": "0000", "tcbType": 0, "tcbEvaluationDataNumber": 17,
            "tcbLevels": .array(levels.map(\.json)),
        ]
        for (key, value) in extra { object[key] = value }
        return object
    }

    static func tcbInfo(id: String = "SGX", levels: [Level], extra: [String: JSON] = [:]) throws -> TCBInfo {
        try TCBInfo(json: JSON.object(tcbInfoObject(id: id, levels: levels, extra: extra)).text)
    }

    static let qeSigner = "8C4F5775D796503E96137F77C68A829A0056AC8DED70140B081B094490C57BFF"

    static func qeIdentityObject(id: String = "QE", version: Int64 = 2,
                                 levels: [(isvsvn: Int64, status: String, advisories: [String])]) -> [String: JSON] {
        [
            "id": .string(id), "version": .int(version), "issueDate": .string(issueDate), "nextUpdate": .string(nextUpdate),
            "tcbEvaluationDataNumber": 17, "miscselect": "00000000", "miscselectMask": "FFFFFFFF",
            "attributes": "11000000000000000000000000000000", "attributesMask": "FBFFFFFFFFFFFFFF0000000000000000",
            "mrsigner": .string(qeSigner), "isvprodid": 1,
            "tcbLevels": .array(levels.map { level in
                var object: [String: JSON] = ["tcb": ["isvsvn": .int(level.isvsvn)], "tcbDate": "2025-01-01T00:00:00Z",
                                              "tcbStatus": .string(level.status)]
                if !level.advisories.isEmpty { object["advisoryIDs"] = .array(level.advisories.map(JSON.string)) }
                return .object(object)
            }),
        ]
    }

    /// A QE report that meets `qeIdentityObject`'s identity with the given ISV SVN.
    static func qeReport(isvSVN: UInt16) -> QEReportIdentity {
        QEReportIdentity(mrSigner: hex(qeSigner), isvProdID: 1, miscSelect: 0,
                         attributes: hex("1500000000000000e700000000000000"), isvSVN: isvSVN)
    }

    static func platform(_ sgx: [UInt8], pceSVN: UInt16, tee: TEEType = .sgx, tdx: TDXModuleTCB? = nil) -> PlatformTCB {
        PlatformTCB(teeType: tee, fmspc: hex(fmspc), pceID: [0, 0], cpuSVNComponents: sgx, pceSVN: pceSVN, tdx: tdx)
    }

    /// Collateral holding the two documents signed with `key` (chains and CRLs are not read by the TCB evaluation).
    static func signedCollateral(tcbInfo: [String: JSON], qeIdentity: [String: JSON],
                                 key: P256.Signing.PrivateKey) throws -> Collateral {
        let tcbText = JSON.object(tcbInfo).text
        let qeText = JSON.object(qeIdentity).text
        return Collateral(
            pckCRLIssuerChain: "", rootCACRL: [], pckCRL: [], tcbInfoIssuerChain: "", tcbInfo: tcbText,
            tcbInfoSignature: [UInt8](try key.signature(for: Array(tcbText.utf8)).rawRepresentation),
            qeIdentityIssuerChain: "", qeIdentity: qeText,
            qeIdentitySignature: [UInt8](try key.signature(for: Array(qeText.utf8)).rawRepresentation))
    }
}
