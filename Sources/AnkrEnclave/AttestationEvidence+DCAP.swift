import AnkrDCAP
import AnkrPrimitives

extension AttestationEvidence {
    /// DCAP evidence: an Intel quote (`sgx-dcap` an SGX quote, `tdx-dcap` a TDX quote) and the
    /// enclave's 33-byte compressed key, whose hash must lead the quote's report data. The quote is
    /// parsed strictly here so ``report`` shows what it claims; its signatures and collateral are
    /// the verifier's job.
    public init(format: AttestationFormat, quote: [UInt8], enclaveKey: [UInt8]) throws {
        guard format.isDCAP else { throw AttestationError.malformed("\(format.rawValue) evidence carries no quote") }
        guard enclaveKey.count == 33 else { throw AttestationError.malformed("keys must be 33 bytes") }
        let parsed: Quote
        do { parsed = try Quote(bytes: quote) } catch { throw AttestationError.malformed("quote: \(error)") }
        let report = EnclaveReport(quoteBody: parsed.body)
        switch (format, parsed.body) {
        case (.sgxDCAP, .sgx), (.tdxDCAP, .tdx): break
        default: throw AttestationError.malformed("a \(format.rawValue) evidence must carry a quote of that TEE")
        }
        self.init(format: format, report: report, enclaveKey: enclaveKey, platformID: .zero, platformKey: [],
                  platformCertificate: [], reportSignature: [])
        self.quote = quote
    }
}

extension EnclaveReport {
    /// What a DCAP quote body says, in the shared report shape. SGX: MRENCLAVE and MRSIGNER. TDX:
    /// keccak256(MRTD ‖ RTMR0 ‖ … ‖ RTMR3) as the measurement (the whole measured boot chain, so
    /// two VMs differing in any register differ) and no signer, since a TD has no code signer.
    /// A quote carries no time: the timestamp is 0 and freshness comes from the collateral.
    init(quoteBody: QuoteBody) {
        switch quoteBody {
        case .sgx(let r):
            self.init(measurement: H256(bytesOrZero: r.mrEnclave), signer: H256(bytesOrZero: r.mrSigner), debug: r.debug,
                      reportData: r.reportData, timestamp: 0)
        case .tdx(let r):
            self.init(measurement: Self.tdxMeasurement(mrTD: r.mrTD, rtmrs: r.rtmrs), signer: .zero, debug: r.debug,
                      reportData: r.reportData, timestamp: 0)
        }
    }

    /// The measurement a TD stands for: keccak256(MRTD ‖ RTMR0 ‖ RTMR1 ‖ RTMR2 ‖ RTMR3).
    public static func tdxMeasurement(mrTD: [UInt8], rtmrs: [[UInt8]]) -> H256 {
        Keccak256.h256(mrTD + rtmrs.flatMap { $0 })
    }
}

extension H256 {
    /// A 32-byte field of a parsed quote (the parser guarantees the length; zero otherwise).
    init(bytesOrZero bytes: [UInt8]) {
        self = (try? H256(bytes)) ?? .zero
    }
}
