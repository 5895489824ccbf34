/// A quote that verified: what it attests, how current its platform and quoting enclave are, and which PCK
/// certificate vouched for it (so a later PCK CRL can revoke what was accepted on its strength).
public struct VerifiedQuote: Sendable, Equatable {
    public var teeType: TEEType
    /// The combined TCB status (the worse of the platform's and the quoting enclave's).
    public var status: TCBStatus
    /// Intel security advisories that apply: the platform's, then the quoting enclave's.
    public var advisoryIDs: [String]
    public var qeStatus: TCBStatus
    public var platformStatus: TCBStatus
    public var body: QuoteBody
    /// The platform provisioning id from the PCK certificate (16 bytes).
    public var ppid: [UInt8]
    /// The FMSPC from the PCK certificate (6 bytes).
    public var fmspc: [UInt8]
    /// The PCK certificate's serial number as swift-certificates' `Certificate.SerialNumber.bytes` give it (unsigned
    /// big-endian, no leading zero bytes).
    public var pckSerial: [UInt8]
    /// The PCK certificate's issuer name (the platform or processor CA), as swift-certificates prints it.
    public var pckIssuer: String

    public init(teeType: TEEType, status: TCBStatus, advisoryIDs: [String], qeStatus: TCBStatus, platformStatus: TCBStatus,
                body: QuoteBody, ppid: [UInt8], fmspc: [UInt8], pckSerial: [UInt8], pckIssuer: String) {
        self.teeType = teeType
        self.status = status
        self.advisoryIDs = advisoryIDs
        self.qeStatus = qeStatus
        self.platformStatus = platformStatus
        self.body = body
        self.ppid = ppid
        self.fmspc = fmspc
        self.pckSerial = pckSerial
        self.pckIssuer = pckIssuer
    }
}
