import Crypto
import SwiftASN1
import X509

/// A DER X.509 CertificateList (RFC 5280 §5), read with SwiftASN1 because swift-certificates has no CRL type.
/// Only what DCAP needs: issuer, the update window, the revoked serials, and the ECDSA-SHA256 signature.
struct CertificateRevocationList: Sendable {
    static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 4, 3, 2]

    let kind: CRLKind
    let issuer: DistinguishedName
    let thisUpdate: Int64
    let nextUpdate: Int64
    /// Revoked serial numbers in `Certificate.SerialNumber.bytes` form (unsigned big-endian, no leading zero bytes),
    /// so they compare with certificates' serials byte for byte.
    let revokedSerials: Set<[UInt8]>
    private let tbsBytes: ArraySlice<UInt8>
    private let signature: P256.Signing.ECDSASignature

    init(der: [UInt8], kind: CRLKind) throws(DCAPError) {
        self.kind = kind
        do {
            let root = try DER.parse(der)
            var parsed: (issuer: DistinguishedName, thisUpdate: Int64, nextUpdate: Int64, revoked: Set<[UInt8]>,
                         tbs: ArraySlice<UInt8>, innerAlgorithm: ASN1ObjectIdentifier)?
            var outerAlgorithm: ASN1ObjectIdentifier?
            var signatureBits: ASN1BitString?
            try DER.sequence(root, identifier: .sequence) { nodes in
                guard let tbs = nodes.next(), let algorithm = nodes.next(), let bits = nodes.next() else {
                    throw ASN1Error.invalidASN1Object(reason: "CertificateList needs three fields")
                }
                parsed = try Self.readTBS(tbs)
                outerAlgorithm = try Self.readAlgorithm(algorithm)
                signatureBits = try ASN1BitString(derEncoded: bits)
            }
            guard let parsed, let outerAlgorithm, let signatureBits else { throw DCAPError.crlMalformed(kind) }
            guard outerAlgorithm == Self.ecdsaWithSHA256, parsed.innerAlgorithm == Self.ecdsaWithSHA256,
                  signatureBits.paddingBits == 0 else { throw DCAPError.crlUnsupportedAlgorithm(kind) }
            issuer = parsed.issuer
            thisUpdate = parsed.thisUpdate
            nextUpdate = parsed.nextUpdate
            revokedSerials = parsed.revoked
            tbsBytes = parsed.tbs
            signature = try P256.Signing.ECDSASignature(derRepresentation: signatureBits.bytes)
        } catch let error as DCAPError {
            throw error
        } catch {
            throw .crlMalformed(kind)
        }
    }

    /// Checks that the CA named `issuerName` with `key` issued this CRL: names match and the key verifies the signature.
    func verifySignature(issuerName: DistinguishedName, key: P256.Signing.PublicKey) throws(DCAPError) {
        guard issuer == issuerName else { throw .crlIssuerMismatch(kind) }
        try verifySignature(key: key)
    }

    /// Checks the signature alone: the root's CRL is checked against the pinned key, which carries no name; the
    /// certificates it covers are found by the issuer name they give (`CertificateChain.verify`).
    func verifySignature(key: P256.Signing.PublicKey) throws(DCAPError) {
        guard key.isValidSignature(signature, for: SHA256.hash(data: tbsBytes)) else { throw .crlSignatureInvalid(kind) }
    }

    /// The end of the window (nextUpdate), the only bound dcap-qvl enforces.
    func checkNotExpired(at time: Int64) throws(DCAPError) {
        guard time <= nextUpdate else { throw .crlExpired(kind, nextUpdate: nextUpdate) }
    }

    /// The start of the window (thisUpdate).
    func checkIssued(by time: Int64) throws(DCAPError) {
        guard time >= thisUpdate else { throw .crlNotYetValid(kind, thisUpdate: thisUpdate) }
    }

    func isRevoked(_ serial: Certificate.SerialNumber) -> Bool { revokedSerials.contains(Array(serial.bytes)) }

    private static func readAlgorithm(_ node: ASN1Node) throws -> ASN1ObjectIdentifier {
        try DER.sequence(node, identifier: .sequence) { nodes in
            guard let oid = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "empty AlgorithmIdentifier") }
            let id = try ASN1ObjectIdentifier(derEncoded: oid)
            _ = nodes.next()   // parameters: absent for ECDSA, tolerated as NULL by some encoders
            return id
        }
    }

    private static func readTBS(_ node: ASN1Node) throws -> (issuer: DistinguishedName, thisUpdate: Int64, nextUpdate: Int64,
                                                             revoked: Set<[UInt8]>, tbs: ArraySlice<UInt8>,
                                                             innerAlgorithm: ASN1ObjectIdentifier) {
        try DER.sequence(node, identifier: .sequence) { nodes in
            var next = nodes.next()
            if let v = next, v.identifier == .integer {   // version (v2) is optional
                guard try Int(derEncoded: v) == 1 else { throw ASN1Error.invalidASN1Object(reason: "CRL version") }
                next = nodes.next()
            }
            guard let algorithmNode = next, let issuerNode = nodes.next(), let thisNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "TBSCertList too short")
            }
            let algorithm = try readAlgorithm(algorithmNode)
            let issuer = try DistinguishedName(derEncoded: issuerNode)
            let thisUpdate = try DERTime.unixSeconds(thisNode)
            // nextUpdate is optional in RFC 5280 but a CRL without it never expires; DCAP's always carry it.
            guard let nextNode = nodes.next(), nextNode.identifier == .utcTime || nextNode.identifier == .generalizedTime else {
                throw ASN1Error.invalidASN1Object(reason: "CRL without nextUpdate")
            }
            let nextUpdate = try DERTime.unixSeconds(nextNode)
            var revoked = Set<[UInt8]>()
            var rest = nodes.next()
            if let list = rest, list.identifier == .sequence {
                try DER.sequence(list, identifier: .sequence) { entries in
                    while let entry = entries.next() {
                        try DER.sequence(entry, identifier: .sequence) { fields in
                            guard let serial = fields.next(), let date = fields.next() else {
                                throw ASN1Error.invalidASN1Object(reason: "revoked entry too short")
                            }
                            guard serial.identifier == .integer, case .primitive(let content) = serial.content else {
                                throw ASN1Error.invalidASN1Object(reason: "serial is not an INTEGER")
                            }
                            _ = try DERTime.unixSeconds(date)
                            _ = fields.next()   // crlEntryExtensions
                            revoked.insert(Array(Certificate.SerialNumber(bytes: content).bytes))
                        }
                    }
                }
                rest = nodes.next()
            }
            // Then only the [0] crlExtensions may follow (DER.sequence refuses anything after it).
            if let extensions = rest, extensions.identifier != ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                throw ASN1Error.invalidASN1Object(reason: "unexpected field after the revoked certificates")
            }
            return (issuer, thisUpdate, nextUpdate, revoked, node.encodedBytes, algorithm)
        }
    }
}
