import AnkrDCAP
import AnkrPrimitives

extension PolicyAttestationVerifier {
    /// DCAP evidence: the quote verifies against the trusted DCAP root with `collateral` at `now`
    /// (PCK chain and CRLs, QE report, quote signature, TCB info and QE identity, TCB level), it is
    /// of the TEE the format names, and the platform's TCB status is one genesis accepts.
    func verifyQuote(_ evidence: AttestationEvidence, now: UInt64, collateral: Collateral?) throws -> ProvenReport {
        guard let collateral else { throw AttestationError.noCollateral }
        let verified: VerifiedQuote
        do {
            // Debug is the policy's call, refused below with its own error like a simulated debug enclave.
            verified = try QuoteVerifier(trustedRootPublicKey: policy.dcapRoot, allowDebug: true)
                .verify(quote: evidence.quote, collateral: collateral, time: now)
        } catch {
            throw AttestationError.quoteRejected(error)
        }
        switch (evidence.format, verified.teeType) {
        case (.sgxDCAP, .sgx), (.tdxDCAP, .tdx): break
        default: throw AttestationError.malformed("a \(evidence.format.rawValue) evidence must carry a quote of that TEE")
        }
        guard policy.acceptedStatuses.contains(verified.status) else { throw AttestationError.tcbStatusNotAccepted(verified.status) }
        return ProvenReport(report: EnclaveReport(quoteBody: verified.body), platformID: Keccak256.h256(verified.ppid), quote: verified)
    }

    /// Whether a quote's code is allowed by a rule rather than by its exact measurement: an SGX
    /// enclave by an allowed signer at or above its minimum ISV SVN; a TD by an allowed MRTD with
    /// allowed RTMRs (any, when genesis lists none).
    func allowedByRule(_ body: QuoteBody?) -> Bool {
        switch body {
        case .sgx(let r)?:
            let signer = H256(bytesOrZero: r.mrSigner)
            return policy.allowedSigners.contains { $0.mrSigner == signer && r.isvSVN >= $0.minISVSVN }
        case .tdx(let r)?:
            return policy.allowedMRTDs.contains(r.mrTD) && (policy.allowedRTMRs.isEmpty || policy.allowedRTMRs.contains(r.rtmrs))
        case nil:
            return false
        }
    }
}
