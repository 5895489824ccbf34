/// AnkrDCAPTesting (test-only) mints Intel DCAP evidence under a test PKI, so every path of quote verification and
/// registration is tested with real-format evidence and no hardware: `TestPKI` (root, PCK platform CA, TCB signing
/// certificate, CRLs, signed TCB info and QE identity as `Collateral`), `TestPlatform` (PCK certificate with the SGX
/// extension; SGX v3 and TDX v4/v5 quotes with any report), the knobs to break each link (`TestCollateralSpec`,
/// `TestQuoteFaults`, validity windows), and `TestEvidenceCase.corpus`, the evidence set checked against dcap-qvl.
public enum AnkrDCAPTesting {}
