/// The documents a DCAP quote is verified against, as Intel's PCS/PCCS serves them: the CRLs and their issuer chain,
/// the TCB info and the QE identity (each the exact JSON text Intel signed, its raw ECDSA-P256 signature and the
/// PEM chain of the TCB signing certificate).
///
/// Travels in the JSON layout the open-source DCAP verifiers exchange (see ``init(json:)``).
public struct Collateral: Sendable, Equatable {
    /// PEM chain of the PCK CRL's issuer (PCK platform/processor CA, then the root CA).
    public var pckCRLIssuerChain: String
    /// DER of the root CA's CRL.
    public var rootCACRL: [UInt8]
    /// DER of the PCK CA's CRL.
    public var pckCRL: [UInt8]
    /// PEM chain of the TCB signing certificate that signed ``tcbInfo``.
    public var tcbInfoIssuerChain: String
    /// The TCB info JSON text exactly as signed (the whole `{"id":…}` object, not the PCS envelope).
    public var tcbInfo: String
    /// ECDSA-P256 signature of ``tcbInfo``, raw r‖s (64 bytes).
    public var tcbInfoSignature: [UInt8]
    /// PEM chain of the certificate that signed ``qeIdentity``.
    public var qeIdentityIssuerChain: String
    /// The QE identity JSON text exactly as signed.
    public var qeIdentity: String
    /// ECDSA-P256 signature of ``qeIdentity``, raw r‖s (64 bytes).
    public var qeIdentitySignature: [UInt8]

    public init(pckCRLIssuerChain: String, rootCACRL: [UInt8], pckCRL: [UInt8], tcbInfoIssuerChain: String,
                tcbInfo: String, tcbInfoSignature: [UInt8], qeIdentityIssuerChain: String, qeIdentity: String,
                qeIdentitySignature: [UInt8]) {
        self.pckCRLIssuerChain = pckCRLIssuerChain
        self.rootCACRL = rootCACRL
        self.pckCRL = pckCRL
        self.tcbInfoIssuerChain = tcbInfoIssuerChain
        self.tcbInfo = tcbInfo
        self.tcbInfoSignature = tcbInfoSignature
        self.qeIdentityIssuerChain = qeIdentityIssuerChain
        self.qeIdentity = qeIdentity
        self.qeIdentitySignature = qeIdentitySignature
    }

    /// Bounds on the collateral JSON: real collateral is about 15 KB (SGX) to 30 KB (TDX); these leave room for
    /// large CRLs while keeping a hostile document cheap to refuse.
    public enum Limits {
        /// The whole JSON document.
        public static let document = 1 << 20
        /// Each PEM issuer chain.
        public static let issuerChain = 16 << 10
        /// Each CRL (DER bytes).
        public static let crl = 256 << 10
        /// The TCB info text.
        public static let tcbInfo = 256 << 10
        /// The QE identity text.
        public static let qeIdentity = 64 << 10
        /// A raw P-256 signature.
        public static let signature = 64
    }
}
