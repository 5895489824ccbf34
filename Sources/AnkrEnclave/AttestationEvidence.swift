import AnkrPrimitives

/// How evidence was produced.
public enum AttestationFormat: String, Sendable, CaseIterable {
    case simulated
    /// An Intel SGX quote (v3) verified through DCAP.
    case sgxDCAP = "sgx-dcap"
    /// An Intel TDX quote (v4) verified through DCAP.
    case tdxDCAP = "tdx-dcap"

    /// Whether the evidence is a DCAP quote (verified with collateral) rather than a simulated report.
    public var isDCAP: Bool { self != .simulated }
}

/// What the enclave reports about itself, signed by its platform.
public struct EnclaveReport: Hashable, Sendable {
    /// Identity of the code in the enclave (MRENCLAVE for SGX).
    public var measurement: H256
    /// Identity of who signed that code (MRSIGNER for SGX).
    public var signer: H256
    public var debug: Bool
    /// 64 bytes chosen by the enclave: keccak256(enclave public key) ‖ 32 bytes of caller data.
    public var reportData: [UInt8]
    /// Seconds since 1970 when the report was made.
    public var timestamp: UInt64

    public init(measurement: H256, signer: H256, debug: Bool, reportData: [UInt8], timestamp: UInt64) {
        self.measurement = measurement; self.signer = signer; self.debug = debug
        self.reportData = reportData; self.timestamp = timestamp
    }

    var rlp: RLPItem {
        .list([.bytes(measurement.bytes), .bytes(signer.bytes), .uint(UInt64(debug ? 1 : 0)), .bytes(reportData), .uint(timestamp)])
    }

    /// What the platform key signs.
    public var signingHash: [UInt8] { Keccak256.hash(Array("ankr-enclave-report".utf8) + RLP.encode(rlp)) }
}

/// Everything a verifier needs. Encoded as RLP so it travels in seals and transactions.
///
/// Simulated evidence is the report, the platform's signature over it, and the platform's certificate
/// from an attestation root: `[format, report, enclaveKey, platformID, platformKey, certificate, signature]`.
/// DCAP evidence (`sgx-dcap`, `tdx-dcap`) is the raw Intel quote and the enclave key: `[format, quote,
/// enclaveKey]`; its ``report`` is what the quote says (read when decoding, trusted only once the
/// verifier has checked the quote) and its platform fields are empty.
public struct AttestationEvidence: Hashable, Sendable {
    /// The most an encoded evidence may take (a DCAP quote with its PCK certificate chain is about 5 KiB).
    public static let maxEncodedSize = 16_384

    public var format: AttestationFormat
    public var report: EnclaveReport
    /// The enclave's public key (33 bytes compressed); its hash must lead the report data.
    public var enclaveKey: [UInt8]
    /// The platform's identity (for the per-platform anomaly test) and its key (33 bytes).
    public var platformID: H256
    public var platformKey: [UInt8]
    /// The attestation root's signature (65 bytes) over keccak(platformID ‖ platformKey).
    public var platformCertificate: [UInt8]
    /// The platform key's signature (65 bytes) over the report.
    public var reportSignature: [UInt8]
    /// The raw DCAP quote (empty for simulated evidence).
    public var quote: [UInt8] = []

    public init(format: AttestationFormat, report: EnclaveReport, enclaveKey: [UInt8], platformID: H256, platformKey: [UInt8],
                platformCertificate: [UInt8], reportSignature: [UInt8]) {
        self.format = format; self.report = report; self.enclaveKey = enclaveKey; self.platformID = platformID
        self.platformKey = platformKey; self.platformCertificate = platformCertificate; self.reportSignature = reportSignature
    }

    /// What the attestation root certifies about a platform.
    public static func certificateHash(platformID: H256, platformKey: [UInt8]) -> [UInt8] {
        Keccak256.hash(Array("ankr-platform-certificate".utf8) + platformID.bytes + platformKey)
    }

    public var encoded: [UInt8] {
        let tag = RLPItem.bytes(Array(format.rawValue.utf8))
        if format.isDCAP { return RLP.encode(.list([tag, .bytes(quote), .bytes(enclaveKey)])) }
        return RLP.encode(.list([tag, report.rlp, .bytes(enclaveKey), .bytes(platformID.bytes),
                                 .bytes(platformKey), .bytes(platformCertificate), .bytes(reportSignature)]))
    }

    /// Strict decoding; sizes are checked, signatures are not (that is the verifier's job).
    public init(encoded: [UInt8]) throws {
        guard encoded.count <= Self.maxEncodedSize else {
            throw AttestationError.malformed("evidence is \(encoded.count) bytes; at most \(Self.maxEncodedSize) allowed")
        }
        do {
            let f = try RLP.decode(encoded).listValue()
            guard let tag = f.first, let format = AttestationFormat(rawValue: String(decoding: try tag.bytesValue(), as: UTF8.self)) else {
                throw AttestationError.malformed("unknown evidence format")
            }
            if format.isDCAP {
                guard f.count == 3 else { throw AttestationError.malformed("DCAP evidence needs 3 fields") }
                try self.init(format: format, quote: try f[1].bytesValue(), enclaveKey: try f[2].bytesValue())
                return
            }
            guard f.count == 7 else { throw AttestationError.malformed("simulated evidence needs 7 fields") }
            let r = try f[1].listValue()
            guard r.count == 5 else { throw AttestationError.malformed("report needs 5 fields") }
            let debug = try r[2].uint64Value()
            guard debug <= 1 else { throw AttestationError.malformed("debug flag must be 0 or 1") }
            let reportData = try r[3].bytesValue()
            guard reportData.count == 64 else { throw AttestationError.malformed("report data must be 64 bytes") }
            let report = EnclaveReport(measurement: try r[0].h256Value(), signer: try r[1].h256Value(), debug: debug == 1,
                                       reportData: reportData, timestamp: try r[4].uint64Value())
            let enclaveKey = try f[2].bytesValue(), platformKey = try f[4].bytesValue()
            let cert = try f[5].bytesValue(), sig = try f[6].bytesValue()
            guard enclaveKey.count == 33, platformKey.count == 33 else { throw AttestationError.malformed("keys must be 33 bytes") }
            guard cert.count == 65, sig.count == 65 else { throw AttestationError.malformed("signatures must be 65 bytes") }
            self.init(format: format, report: report, enclaveKey: enclaveKey, platformID: try f[3].h256Value(), platformKey: platformKey,
                      platformCertificate: cert, reportSignature: sig)
        } catch let e as AttestationError {
            throw e
        } catch {
            throw AttestationError.malformed("\(error)")
        }
    }
}
