import AnkrPrimitives

/// The collateral JSON layout of the open-source DCAP verifiers (dcap-qvl's `QuoteCollateralV3`): PEM chains and
/// signed documents as strings, CRLs and signatures as hex.
extension Collateral {
    /// The keys of the layout.
    enum Key {
        static let pckCRLIssuerChain = "pck_crl_issuer_chain"
        static let rootCACRL = "root_ca_crl"
        static let pckCRL = "pck_crl"
        static let tcbInfoIssuerChain = "tcb_info_issuer_chain"
        static let tcbInfo = "tcb_info"
        static let tcbInfoSignature = "tcb_info_signature"
        static let qeIdentityIssuerChain = "qe_identity_issuer_chain"
        static let qeIdentity = "qe_identity"
        static let qeIdentitySignature = "qe_identity_signature"
        /// Written by dcap-qvl's collateral fetcher for quotes that carry their PCK chain; accepted and not kept,
        /// since the quote itself is where the PCK chain is read from.
        static let pckCertificateChain = "pck_certificate_chain"

        static let all: Set<String> = [pckCRLIssuerChain, rootCACRL, pckCRL, tcbInfoIssuerChain, tcbInfo, tcbInfoSignature,
                                       qeIdentityIssuerChain, qeIdentity, qeIdentitySignature, pckCertificateChain]
    }

    /// Reads collateral from its JSON layout: every key present with its type, sizes bounded (``Limits``), hex exact,
    /// no unknown keys. The signed documents are not interpreted here (see ``TCBInfo`` and ``QEIdentity``).
    public init(json: [UInt8]) throws(DCAPError) {
        do {
            self = try Collateral.parse(json)
        } catch {
            throw .collateral(error)
        }
    }

    static func parse(_ json: [UInt8]) throws(CollateralError) -> Collateral {
        let r = try DocumentReader(parsing: json, limit: Limits.document, document: .collateral)
        try r.requireOnly(Key.all)
        if r.members[Key.pckCertificateChain] != nil {
            _ = try r.string(Key.pckCertificateChain, maxLength: Limits.issuerChain)
        }
        return Collateral(
            pckCRLIssuerChain: try r.string(Key.pckCRLIssuerChain, maxLength: Limits.issuerChain),
            rootCACRL: try r.hex(Key.rootCACRL, maxCount: Limits.crl),
            pckCRL: try r.hex(Key.pckCRL, maxCount: Limits.crl),
            tcbInfoIssuerChain: try r.string(Key.tcbInfoIssuerChain, maxLength: Limits.issuerChain),
            tcbInfo: try r.string(Key.tcbInfo, maxLength: Limits.tcbInfo),
            tcbInfoSignature: try r.hex(Key.tcbInfoSignature, count: Limits.signature),
            qeIdentityIssuerChain: try r.string(Key.qeIdentityIssuerChain, maxLength: Limits.issuerChain),
            qeIdentity: try r.string(Key.qeIdentity, maxLength: Limits.qeIdentity),
            qeIdentitySignature: try r.hex(Key.qeIdentitySignature, count: Limits.signature))
    }

    /// The collateral in the same JSON layout (compact, keys sorted, hex in lower case).
    public var json: [UInt8] {
        JSON.object([
            Key.pckCRLIssuerChain: .string(pckCRLIssuerChain),
            Key.rootCACRL: .string(rootCACRL.hex),
            Key.pckCRL: .string(pckCRL.hex),
            Key.tcbInfoIssuerChain: .string(tcbInfoIssuerChain),
            Key.tcbInfo: .string(tcbInfo),
            Key.tcbInfoSignature: .string(tcbInfoSignature.hex),
            Key.qeIdentityIssuerChain: .string(qeIdentityIssuerChain),
            Key.qeIdentity: .string(qeIdentity),
            Key.qeIdentitySignature: .string(qeIdentitySignature.hex),
        ]).serialized()
    }
}
