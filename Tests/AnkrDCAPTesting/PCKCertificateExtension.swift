import SwiftASN1
import X509

/// Intel's SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1), encoded in Intel's layout: a SEQUENCE of
/// (OID, value) pairs — PPID (.1, OCTET STRING 16), TCB (.2, a SEQUENCE of (OID, value): SGX TCB components .2.1–.2.16
/// and PCESVN .2.17 as INTEGERs, CPUSVN .2.18 as OCTET STRING 16), PCE-ID (.3, OCTET STRING 2), FMSPC (.4, OCTET
/// STRING 6) and SGX type (.5, ENUMERATED).
struct PCKCertificateExtension {
    static let sgxExtensionsOID: [UInt] = [1, 2, 840, 113_741, 1, 13, 1]

    var ppid: [UInt8]
    var cpuSVNComponents: [UInt8]
    var pceSVN: UInt16
    var cpuSVN: [UInt8]
    var pceID: [UInt8]
    var fmspc: [UInt8]
    var sgxType: Int

    /// The non-critical certificate extension carrying these values.
    func certificateExtension() throws(TestPKIError) -> Certificate.Extension {
        do {
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try Self.pair(&coder, [1]) { try $0.serialize(ASN1OctetString(contentBytes: ppid[...])) }
                try Self.pair(&coder, [2]) { coder in
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        for (index, svn) in cpuSVNComponents.enumerated() {
                            try Self.pair(&coder, [2, UInt(index + 1)]) { try $0.serialize(Int(svn)) }
                        }
                        try Self.pair(&coder, [2, 17]) { try $0.serialize(Int(pceSVN)) }
                        try Self.pair(&coder, [2, 18]) { try $0.serialize(ASN1OctetString(contentBytes: cpuSVN[...])) }
                    }
                }
                try Self.pair(&coder, [3]) { try $0.serialize(ASN1OctetString(contentBytes: pceID[...])) }
                try Self.pair(&coder, [4]) { try $0.serialize(ASN1OctetString(contentBytes: fmspc[...])) }
                try Self.pair(&coder, [5]) { try sgxType.serialize(into: &$0, withIdentifier: .enumerated) }
            }
            return Certificate.Extension(oid: try ASN1ObjectIdentifier(elements: Self.sgxExtensionsOID), critical: false,
                                         value: coder.serializedBytes[...])
        } catch {
            throw .notEncodable(what: "the SGX extension of a PCK certificate")
        }
    }

    /// `SEQUENCE { OID 1.2.840.113741.1.13.1.<suffix>, value }`.
    private static func pair(_ coder: inout DER.Serializer, _ suffix: [UInt],
                             value: (inout DER.Serializer) throws -> Void) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(ASN1ObjectIdentifier(elements: sgxExtensionsOID + suffix))
            try value(&coder)
        }
    }
}
