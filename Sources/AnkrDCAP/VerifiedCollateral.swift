/// Collateral that verified on its own (no quote): every signature up to the trusted root and every document valid
/// at the time. What the enclave registry keeps and compares.
public struct VerifiedCollateral: Sendable, Equatable {
    /// The TEE the TCB info is for.
    public var teeType: TEEType
    /// The FMSPC the TCB info is for (6 bytes).
    public var fmspc: [UInt8]
    /// The TCB info's issue date (unix seconds): the newer of two collaterals has the later one.
    public var tcbInfoIssueDate: UInt64
    /// Serials listed in the PCK CRL, in the byte form of `VerifiedQuote.pckSerial`, sorted.
    public var revokedPCKSerials: [[UInt8]]
    /// The PCK CRL's issuer name, in the form of `VerifiedQuote.pckIssuer`: its serials are that CA's.
    public var pckCRLIssuer: String

    public init(teeType: TEEType, fmspc: [UInt8], tcbInfoIssueDate: UInt64, revokedPCKSerials: [[UInt8]], pckCRLIssuer: String) {
        self.teeType = teeType
        self.fmspc = fmspc
        self.tcbInfoIssueDate = tcbInfoIssueDate
        self.revokedPCKSerials = revokedPCKSerials
        self.pckCRLIssuer = pckCRLIssuer
    }
}
