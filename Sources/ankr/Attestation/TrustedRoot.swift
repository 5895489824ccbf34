import AnkrPrimitives
import Crypto
import X509

/// `--root`: the P-256 key the quote's PCK chain and the collateral's issuer chains must end at, given as
/// hex or as a PEM file (a certificate, such as Intel's SGX Root CA, or a public key).
enum TrustedRoot {
    /// A PEM certificate is about 1 KiB; anything far larger is not one.
    static let maxPEMBytes = 64 * 1024

    /// The 65-byte uncompressed key `text` names: hex (optional `0x`) when it is all hex digits, else a file path.
    static func publicKey(_ text: String) throws(AttestationInputError) -> [UInt8] {
        let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
        if !digits.isEmpty, digits.allSatisfy(\.isHexDigit) {
            guard let bytes = try? Hex.decode(digits), let key = uncompressed(bytes) else { throw .rootNotAP256Key(text) }
            return key
        }
        let pem = String(decoding: try BoundedFile.read(text, limit: maxPEMBytes, what: "root key"), as: UTF8.self)
        if let certificate = try? Certificate(pemEncoded: pem), let key = P256.Signing.PublicKey(certificate.publicKey) {
            return Array(key.x963Representation)
        }
        if let key = try? P256.Signing.PublicKey(pemRepresentation: pem) { return Array(key.x963Representation) }
        throw .noP256KeyInPEM(path: text)
    }

    /// `bytes` as an uncompressed P-256 point, when they are one (uncompressed or compressed) on the curve.
    private static func uncompressed(_ bytes: [UInt8]) -> [UInt8]? {
        switch bytes.count {
        case 65: return (try? P256.Signing.PublicKey(x963Representation: bytes)).map { Array($0.x963Representation) }
        case 33: return (try? P256.Signing.PublicKey(compressedRepresentation: bytes)).map { Array($0.x963Representation) }
        default: return nil
        }
    }
}
