import AnkrCrypto
import Crypto
import Foundation
import X509

/// The devnet data source's self-signed certificate for `localhost`, made once and kept in the devnet's
/// directory: the relay trusts exactly this certificate (`--ca-file`), so nothing else is trusted more.
enum DevnetCertificate {
    /// The certificate and key files in `directory`, made there when absent.
    static func ensure(in directory: URL) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
        let files = FileManager.default
        if files.fileExists(atPath: certificate), files.fileExists(atPath: key) {
            guard (try? Certificate(pemEncoded: String(contentsOfFile: certificate, encoding: .utf8))) != nil,
                  (try? P256.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: key, encoding: .utf8))) != nil else {
                throw DevnetServiceError.certificateUnreadable(path: directory.path)
            }
            return (certificate, key)
        }
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        let signing = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("localhost") }
        let now = Date()
        // A CA-flagged self-signed leaf, as `openssl req -x509` makes: TLS stacks accept it as its own trust anchor.
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames([.dnsName("localhost")])
        }
        let made = try Certificate(version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(signing.publicKey),
                                   notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
                                   issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
                                   issuerPrivateKey: .init(signing))
        try SecretFile.write(Array(signing.pemRepresentation.utf8), to: key)
        try Data(try made.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: certificate), options: .atomic)
        return (certificate, key)
    }
}
