/// AnkrDCAP verifies Intel DCAP attestation quotes with ECDSA-P256 attestation keys: SGX quote v3 and TDX quote v4
/// and v5 (TD report 1.0 and 1.5), as dcap-qvl 0.7.0 does.
///
/// - `Quote` parses a quote strictly (every length checked, bounded size, typed `DCAPError`s): header, `QuoteBody`
///   (`SGXReport` or `TDReport`) and `QuoteSignatureData` (signature, attestation key, QE report, PCK chain).
/// - `QuoteVerifier` checks a quote against `Collateral` at a given time to a pinned root key (Intel's SGX Root CA):
///   the PCK chain and both CRLs, the QE report's signature and binding, the quote's signature, the PCK certificate's
///   `PCKExtensions`, then the TCB rating (`TCBEvaluation` over `TCBInfo` and `QEIdentity`), giving a `VerifiedQuote`;
///   it also verifies collateral on its own (`VerifiedCollateral`).
/// - `Collateral` reads and writes the collateral JSON layout the open-source DCAP verifiers exchange.
public enum AnkrDCAP {}
