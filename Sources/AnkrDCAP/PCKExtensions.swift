import SwiftASN1

/// The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1): which platform the key belongs to
/// and the TCB it was issued for, matched against the TCB info.
public struct PCKExtensions: Sendable, Equatable {
    /// The Intel SGX extension's OID.
    public static let oid: ASN1ObjectIdentifier = [1, 2, 840, 113_741, 1, 13, 1]
    private static let arcs: [UInt] = [1, 2, 840, 113_741, 1, 13, 1]

    /// The platform provisioning id: stable per platform (16 bytes).
    public var ppid: [UInt8]
    /// SGX TCB components 1 to 16 (one SVN byte each).
    public var cpuSVNComponents: [UInt8]
    /// The CPUSVN the certificate was issued for (16 bytes; in Intel certificates equal to the components).
    public var cpuSVN: [UInt8]
    public var pceSVN: UInt16
    public var pceID: [UInt8]       // 2
    /// The family-model-stepping-platform id that selects the TCB info (6 bytes).
    public var fmspc: [UInt8]
    public var sgxType: SGXType

    public init(ppid: [UInt8], cpuSVNComponents: [UInt8], cpuSVN: [UInt8], pceSVN: UInt16, pceID: [UInt8], fmspc: [UInt8],
                sgxType: SGXType) {
        self.ppid = ppid
        self.cpuSVNComponents = cpuSVNComponents
        self.cpuSVN = cpuSVN
        self.pceSVN = pceSVN
        self.pceID = pceID
        self.fmspc = fmspc
        self.sgxType = sgxType
    }

    /// Parses the extension's value (the DER SEQUENCE inside its OCTET STRING). Entries other than the ones read
    /// here (platform instance id, configuration) are allowed; each one read must appear exactly once.
    public init(derEncoded value: [UInt8]) throws(DCAPError) {
        let top = try Self.entries(value, field: "extension")
        ppid = try Self.octets(top, 1, field: "PPID", count: 16)
        pceID = try Self.octets(top, 3, field: "PCE-ID", count: 2)
        fmspc = try Self.octets(top, 4, field: "FMSPC", count: 6)
        let typeNode = try Self.node(top, 5, field: "SGX type")
        guard let type = try? Int(derEncoded: typeNode, withIdentifier: .enumerated), let raw = UInt8(exactly: type),
              let sgxType = SGXType(rawValue: raw) else { throw .pckExtensionMalformed(field: "SGX type") }
        self.sgxType = sgxType

        let tcbNode = try Self.node(top, 2, field: "TCB")
        let tcb = try Self.entries(Array(tcbNode.encodedBytes), field: "TCB", base: Self.arcs + [2])
        var components: [UInt8] = []
        for i: UInt in 1...16 {
            let n = try Self.node(tcb, i, field: "TCB component \(i)")
            guard let svn = try? UInt8(derEncoded: n) else { throw .pckExtensionMalformed(field: "TCB component \(i)") }
            components.append(svn)
        }
        cpuSVNComponents = components
        let pce = try Self.node(tcb, 17, field: "PCESVN")
        guard let pceSVN = try? UInt16(derEncoded: pce) else { throw .pckExtensionMalformed(field: "PCESVN") }
        self.pceSVN = pceSVN
        cpuSVN = try Self.octets(tcb, 18, field: "CPUSVN", count: 16)
    }

    /// The extension's SEQUENCE OF SEQUENCE { OID, value } as a map from the OID's last arc to the value node,
    /// keeping only OIDs directly under `base`.
    private static func entries(_ der: [UInt8], field: String,
                                base: [UInt] = PCKExtensions.arcs) throws(DCAPError) -> [UInt: ASN1Node] {
        do {
            let root = try DER.parse(der)
            return try DER.sequence(root, identifier: .sequence) { nodes in
                var map: [UInt: ASN1Node] = [:]
                while let entry = nodes.next() {
                    let (oid, value) = try DER.sequence(entry, identifier: .sequence) { pair in
                        guard let o = pair.next(), let v = pair.next() else {
                            throw ASN1Error.invalidASN1Object(reason: "entry without a value")
                        }
                        return (try ASN1ObjectIdentifier(derEncoded: o), v)
                    }
                    let arcs = oid.oidComponents, prefix = base
                    guard arcs.count == prefix.count + 1, Array(arcs.prefix(prefix.count)) == prefix, let last = arcs.last else {
                        continue
                    }
                    guard map[last] == nil else { throw ASN1Error.invalidASN1Object(reason: "duplicate entry") }
                    map[last] = value
                }
                return map
            }
        } catch {
            throw .pckExtensionMalformed(field: field)
        }
    }

    private static func node(_ map: [UInt: ASN1Node], _ arc: UInt, field: String) throws(DCAPError) -> ASN1Node {
        guard let n = map[arc] else { throw .pckExtensionMalformed(field: field) }
        return n
    }

    private static func octets(_ map: [UInt: ASN1Node], _ arc: UInt, field: String, count: Int) throws(DCAPError) -> [UInt8] {
        let n = try node(map, arc, field: field)
        guard let s = try? ASN1OctetString(derEncoded: n), s.bytes.count == count else {
            throw .pckExtensionMalformed(field: field)
        }
        return Array(s.bytes)
    }
}
