import Crypto

/// Intel's TCB info (version 3) for one FMSPC: the TCB levels of the platforms sharing it, with their statuses and
/// advisories, and for TDX the TDX module's expected identity.
///
/// Read strictly from the JSON text Intel signed (``init(json:)``); once its signature is checked
/// (``init(json:signature:signingKey:)``) and it is fresh (``checkValidity(at:)``) it rates a platform
/// (``platformStatus(for:)``).
public struct TCBInfo: Sendable, Equatable {
    /// `id`: which TEE the levels are for.
    public let teeType: TEEType
    /// `version`; 3 is the version with component arrays, the only one accepted.
    public let version: Int64
    /// `issueDate`, unix seconds.
    public let issueDate: UInt64
    /// `nextUpdate`, unix seconds: the document is stale after it.
    public let nextUpdate: UInt64
    /// `fmspc` (6 bytes): the platform family the levels are for.
    public let fmspc: [UInt8]
    /// `pceId` (2 bytes).
    public let pceID: [UInt8]
    public let tcbType: UInt32
    public let tcbEvaluationDataNumber: UInt32
    /// `tcbLevels` in Intel QVL's order (highest SGX components first, then PCE SVN, then for TDX the TDX
    /// components), whatever the order of the JSON: the first level a platform meets is its level.
    public let tcbLevels: [TCBLevel]
    /// `tdxModule` (TDX only).
    public let tdxModule: TDXModule?
    /// `tdxModuleIdentities` (TDX only; may be empty).
    public let tdxModuleIdentities: [TDXModuleIdentity]

    /// Reads TCB info that has already been authenticated (or is only being inspected).
    public init(json: String) throws(CollateralError) {
        self = try TCBInfo.parse(Array(json.utf8))
    }

    /// Checks `signature` (raw r‖s) over the exact UTF-8 bytes of `json` with the TCB signing certificate's key,
    /// then reads the document.
    public init(json: String, signature: [UInt8], signingKey: P256.Signing.PublicKey) throws(CollateralError) {
        let text = Array(json.utf8)
        try SignedDocument.verify(text, signature: signature, key: signingKey, document: .tcbInfo)
        self = try TCBInfo.parse(text)
    }

    /// Refuses the document outside `issueDate ≤ time ≤ nextUpdate`.
    public func checkValidity(at time: UInt64) throws(CollateralError) {
        guard time >= issueDate else { throw .issueDateInFuture(.tcbInfo, issueDate: issueDate, time: time) }
        guard time <= nextUpdate else { throw .expired(.tcbInfo, nextUpdate: nextUpdate, time: time) }
    }

    init(teeType: TEEType, version: Int64, issueDate: UInt64, nextUpdate: UInt64, fmspc: [UInt8], pceID: [UInt8],
         tcbType: UInt32, tcbEvaluationDataNumber: UInt32, tcbLevels: [TCBLevel], tdxModule: TDXModule?,
         tdxModuleIdentities: [TDXModuleIdentity]) {
        self.teeType = teeType
        self.version = version
        self.issueDate = issueDate
        self.nextUpdate = nextUpdate
        self.fmspc = fmspc
        self.pceID = pceID
        self.tcbType = tcbType
        self.tcbEvaluationDataNumber = tcbEvaluationDataNumber
        self.tcbLevels = tcbLevels
        self.tdxModule = tdxModule
        self.tdxModuleIdentities = tdxModuleIdentities
    }
}
