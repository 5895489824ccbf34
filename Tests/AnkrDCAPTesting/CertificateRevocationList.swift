import Crypto
import SwiftASN1
import X509

/// An X.509 v2 CRL as Intel's CAs issue them (swift-certificates has no CRL builder, so it is encoded here):
/// `CertificateList { tbsCertList { version v2, ecdsa-with-SHA256, issuer, thisUpdate, nextUpdate,
/// revokedCertificates?, [0] { CRL number, authority key identifier } }, ecdsa-with-SHA256, signature }`.
struct CertificateRevocationList {
    var issuer: Certificate
    var thisUpdate: UInt64
    var nextUpdate: UInt64
    /// Serial numbers (big-endian) of the revoked certificates, each revoked at `thisUpdate`.
    var revokedSerials: [[UInt8]]
    var number: Int = 1

    private static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 4, 3, 2]
    private static let crlNumberOID: ASN1ObjectIdentifier = [2, 5, 29, 20]

    /// The DER CRL signed by `issuerKey`.
    func der(signedBy issuerKey: P256.Signing.PrivateKey) throws(TestPKIError) -> [UInt8] {
        do {
            var tbsCoder = DER.Serializer()
            try tbsCoder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(1)                                   // v2
                try Self.serializeAlgorithm(&coder)
                try coder.serialize(issuer.subject)
                try UTCDate(unixSeconds: thisUpdate).serialize(into: &coder)
                try UTCDate(unixSeconds: nextUpdate).serialize(into: &coder)
                if !revokedSerials.isEmpty {
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        for serial in revokedSerials {
                            try coder.appendConstructedNode(identifier: .sequence) { coder in
                                try coder.serialize(serial.drop(while: { $0 == 0 }))
                                try UTCDate(unixSeconds: thisUpdate).serialize(into: &coder)
                            }
                        }
                    }
                }
                try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        var numberCoder = DER.Serializer()
                        try numberCoder.serialize(number)
                        try coder.serialize(Certificate.Extension(oid: Self.crlNumberOID, critical: false,
                                                                  value: numberCoder.serializedBytes[...]))
                        let keyIdentifier = SubjectKeyIdentifier(hash: issuer.publicKey).keyIdentifier
                        try coder.serialize(Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: keyIdentifier),
                                                                  critical: false))
                    }
                }
            }
            let tbs = tbsCoder.serializedBytes
            let signature = try issuerKey.signature(for: tbs).derRepresentation
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.serializeRawBytes(tbs)
                try Self.serializeAlgorithm(&coder)
                try coder.serialize(ASN1BitString(bytes: Array(signature)[...]))
            }
            return coder.serializedBytes
        } catch {
            throw .notEncodable(what: "the CRL of \(issuer.subject)")
        }
    }

    private static func serializeAlgorithm(_ coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { try $0.serialize(ecdsaWithSHA256) }
    }
}
