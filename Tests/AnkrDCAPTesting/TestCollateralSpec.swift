import AnkrDCAP

/// Everything a test can choose about the collateral of a platform: dates, TCB levels (and so the platform's
/// status), the QE identity, the FMSPC the TCB info names, the TDX module, and what the CRLs revoke.
public struct TestCollateralSpec: Sendable {
    /// SGX or TDX TCB info (id "SGX"/"TDX", version 3) and QE identity ("QE"/"TD_QE").
    public var tee: TEEType
    /// TCB info and QE identity `issueDate` and `nextUpdate`.
    public var issueDate: UInt64
    public var nextUpdate: UInt64
    /// `tcbLevels` of the TCB info.
    public var tcbLevels: [TestTCBLevel]
    /// The quoting enclave whose identity the collateral carries.
    public var qe: TestQuotingEnclave
    /// `fmspc` and `pceId` of the TCB info (a mismatch with the PCK certificate is a rejection).
    public var fmspc: [UInt8]
    public var pceID: [UInt8]
    /// The TDX module part (TDX TCB info only).
    public var tdxModule: TestTDXModule?
    public var tcbEvaluationDataNumber: Int
    /// Serial numbers the PCK CRL revokes (e.g. `platform.pckSerial`).
    public var revokedPCKSerials: [[UInt8]]
    /// Serial numbers the root CA CRL revokes (e.g. `pki.pckCASerial`, `pki.tcbSigningSerial`).
    public var revokedCASerials: [[UInt8]]
    /// `thisUpdate` and `nextUpdate` of the root CA CRL.
    public var rootCACRLThisUpdate: UInt64
    public var rootCACRLNextUpdate: UInt64
    /// `thisUpdate` and `nextUpdate` of the PCK CRL.
    public var pckCRLThisUpdate: UInt64
    public var pckCRLNextUpdate: UInt64

    /// Collateral under which `platform` has `status` (with `advisoryIDs`) and the QE is UpToDate, valid from
    /// `issueDate` to `nextUpdate` (CRLs too), revoking nothing.
    public init(platform: TestPlatform, tee: TEEType = .sgx, status: TCBStatus = .upToDate,
                advisoryIDs: [String] = [], issueDate: UInt64 = TestPKI.defaultIssueDate,
                nextUpdate: UInt64 = TestPKI.defaultNextUpdate) {
        self.tee = tee
        self.issueDate = issueDate
        self.nextUpdate = nextUpdate
        tcbLevels = TestTCBLevel.placing(platform, tee: tee, at: status, advisoryIDs: advisoryIDs)
        qe = tee == .tdx ? .tdx : .sgx
        fmspc = platform.fmspc
        pceID = platform.pceID
        tdxModule = tee == .tdx ? TestTDXModule.placing(platform) : nil
        tcbEvaluationDataNumber = 17
        revokedPCKSerials = []
        revokedCASerials = []
        rootCACRLThisUpdate = issueDate
        rootCACRLNextUpdate = nextUpdate
        pckCRLThisUpdate = issueDate
        pckCRLNextUpdate = nextUpdate
    }

    /// The TCB info JSON text (version 3).
    var tcbInfoJSON: String {
        var out = "{\"id\":\"" + tee.rawValue + "\",\"version\":3"
            + ",\"issueDate\":\"" + UTCDate(unixSeconds: issueDate).iso8601 + "\""
            + ",\"nextUpdate\":\"" + UTCDate(unixSeconds: nextUpdate).iso8601 + "\""
            + ",\"fmspc\":\"" + TestJSON.upperHex(fmspc) + "\",\"pceId\":\"" + TestJSON.upperHex(pceID) + "\""
            + ",\"tcbType\":0,\"tcbEvaluationDataNumber\":\(tcbEvaluationDataNumber)"
        if let tdxModule { out += "," + tdxModule.json }
        return out + ",\"tcbLevels\":[" + tcbLevels.map(\.json).joined(separator: ",") + "]}"
    }

    /// The QE identity JSON text (version 2).
    var qeIdentityJSON: String {
        qe.identityJSON(issueDate: issueDate, nextUpdate: nextUpdate, tcbEvaluationDataNumber: tcbEvaluationDataNumber)
    }
}
