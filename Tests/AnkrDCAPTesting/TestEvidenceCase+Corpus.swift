import AnkrDCAP

/// The corpus: SGX and TDX evidence under one test PKI for every TCB status, and each way to break it — certificates
/// revoked or out of their validity, documents stale or tampered, a platform or QE no level matches, a debug enclave,
/// quotes with a broken link of the signature chain, a foreign root. Each broken case differs from a good one in one
/// knob, so a rejection can only come from that knob.
extension TestEvidenceCase {
    /// Mints the corpus under a PKI of `seed`.
    public static func corpus(seed: UInt64 = 11) throws(TestPKIError) -> [TestEvidenceCase] {
        var minter = try CorpusMinter(seed: seed)
        try minter.sgxCases()
        try minter.tdxCases()
        return minter.cases
    }
}
