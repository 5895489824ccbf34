import Crypto

/// Intel's QE identity (version 2; TD_QE also 3): which quoting enclave may sign quotes (signer, product, masked
/// MISCSELECT and ATTRIBUTES) and the TCB levels of its ISV SVN.
///
/// Read strictly from the JSON text Intel signed (``init(json:)``), authenticated by
/// ``init(json:signature:signingKey:)``, fresh per ``checkValidity(at:)``; rates a QE report with ``qeStatus(for:)``.
public struct QEIdentity: Sendable, Equatable {
    /// `id`: "QE" (the SGX quoting enclave) or "TD_QE" (the TDX one).
    public let id: String
    public let version: Int64
    /// `issueDate`, unix seconds.
    public let issueDate: UInt64
    /// `nextUpdate`, unix seconds.
    public let nextUpdate: UInt64
    public let tcbEvaluationDataNumber: UInt32
    /// `miscselect` and `miscselectMask` (4 bytes each, read as little-endian like the report's field).
    public let miscSelect: [UInt8]
    public let miscSelectMask: [UInt8]
    /// `attributes` and `attributesMask` (16 bytes each).
    public let attributes: [UInt8]
    public let attributesMask: [UInt8]
    /// `mrsigner` (32 bytes).
    public let mrSigner: [UInt8]
    /// `isvprodid`.
    public let isvProdID: UInt16
    /// `tcbLevels` in the document's order (highest ISV SVN first, as Intel publishes them).
    public let tcbLevels: [QETCBLevel]

    /// The ids this verifier knows.
    static let ids: Set<String> = ["QE", "TD_QE"]

    /// Reads a QE identity that has already been authenticated (or is only being inspected).
    public init(json: String) throws(CollateralError) {
        self = try QEIdentity.parse(Array(json.utf8))
    }

    /// Checks `signature` (raw r‖s) over the exact UTF-8 bytes of `json` with the signing certificate's key, then
    /// reads the document.
    public init(json: String, signature: [UInt8], signingKey: P256.Signing.PublicKey) throws(CollateralError) {
        let text = Array(json.utf8)
        try SignedDocument.verify(text, signature: signature, key: signingKey, document: .qeIdentity)
        self = try QEIdentity.parse(text)
    }

    /// Refuses the document outside `issueDate ≤ time ≤ nextUpdate`.
    public func checkValidity(at time: UInt64) throws(CollateralError) {
        guard time >= issueDate else { throw .issueDateInFuture(.qeIdentity, issueDate: issueDate, time: time) }
        guard time <= nextUpdate else { throw .expired(.qeIdentity, nextUpdate: nextUpdate, time: time) }
    }

    init(id: String, version: Int64, issueDate: UInt64, nextUpdate: UInt64, tcbEvaluationDataNumber: UInt32,
         miscSelect: [UInt8], miscSelectMask: [UInt8], attributes: [UInt8], attributesMask: [UInt8], mrSigner: [UInt8],
         isvProdID: UInt16, tcbLevels: [QETCBLevel]) {
        self.id = id
        self.version = version
        self.issueDate = issueDate
        self.nextUpdate = nextUpdate
        self.tcbEvaluationDataNumber = tcbEvaluationDataNumber
        self.miscSelect = miscSelect
        self.miscSelectMask = miscSelectMask
        self.attributes = attributes
        self.attributesMask = attributesMask
        self.mrSigner = mrSigner
        self.isvProdID = isvProdID
        self.tcbLevels = tcbLevels
    }
}
