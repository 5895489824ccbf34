import Crypto

/// The signature check shared by TCB info and QE identity: ECDSA-P256 with SHA-256 over the document's exact bytes.
enum SignedDocument {
    static func verify(_ text: [UInt8], signature: [UInt8], key: P256.Signing.PublicKey,
                       document: CollateralDocument) throws(CollateralError) {
        guard signature.count == Collateral.Limits.signature else {
            throw .wrongLength(document, field: "signature", expected: Collateral.Limits.signature, actual: signature.count)
        }
        guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
              key.isValidSignature(ecdsa, for: text) else { throw .invalidSignature(document) }
    }
}
