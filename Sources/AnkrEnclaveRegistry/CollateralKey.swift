import AnkrDCAP
import AnkrEnclave
import AnkrPrimitives
import SwiftASN1
import X509

/// Which platforms a collateral speaks for: Intel signs one TCB info per TEE type and FMSPC (a
/// platform model), so the registry holds one collateral per key, and a quote is verified with the
/// one for its own platform. Keeping them apart stops anyone from replacing the collateral of one
/// platform model with a newer, equally genuine one of another.
public struct CollateralKey: Hashable, Sendable {
    public var teeType: TEEType
    /// 6 bytes.
    public var fmspc: [UInt8]

    public init(teeType: TEEType, fmspc: [UInt8]) { self.teeType = teeType; self.fmspc = fmspc }

    /// The key of a verified collateral.
    public init(_ verified: VerifiedCollateral) { self.init(teeType: verified.teeType, fmspc: verified.fmspc) }

    /// The platform DCAP evidence claims to come from: its quote's TEE and the FMSPC of the PCK
    /// certificate it carries. Read without verifying anything (nil when the quote or certificate does
    /// not parse): it only picks the collateral, which then verifies the quote in full.
    public init?(evidence: AttestationEvidence) {
        guard evidence.format.isDCAP, let quote = try? Quote(bytes: evidence.quote),
              let leaf = try? PEMDocument.parseMultiple(pemString: quote.signatureData.pckChainPEM).first,
              let certificate = try? Certificate(derEncoded: leaf.derBytes),
              let value = certificate.extensions[oid: PCKExtensions.oid]?.value,
              let extensions = try? PCKExtensions(derEncoded: Array(value)) else { return nil }
        self.init(teeType: quote.teeType, fmspc: extensions.fmspc)
    }

    /// The platform model a collateral's TCB info names (its `id` and `fmspc`), read without verifying it.
    public init?(collateral: Collateral) {
        guard let info = try? JSON(parsing: Array(collateral.tcbInfo.utf8)), let id = info["id"]?.string, let tee = TEEType(rawValue: id),
              let fmspc = info["fmspc"]?.string.flatMap({ try? Hex.decode($0, count: 6) }) else { return nil }
        self.init(teeType: tee, fmspc: fmspc)
    }

    /// The storage word naming this key: keccak256(TEE type name ‖ FMSPC).
    var word: UInt256 { UInt256(bigEndian: Keccak256.hash(Array(teeType.rawValue.utf8) + fmspc)) ?? .zero }
}
