/// AnkrEnclave is the trusted-execution boundary. An ``Enclave`` has a measurement (the identity
/// of the code it runs), a key that never leaves it, and produces ``AttestationEvidence`` binding
/// that key to a trusted platform. An ``AttestationVerifier`` checks evidence against an
/// ``AttestationPolicy`` (trusted roots, allowed measurements, debug and simulated modes, freshness,
/// the key bound in the report data) and returns ``AttestationClaims``. The ``Lottery`` that turns
/// metered instructions into block wins runs inside the enclave.
///
/// Backend today: ``SimulatedEnclave``, with the same evidence layout as a hardware enclave but a
/// platform key certified by a development root (``DevelopmentAttestationRoot``) and the format
/// `simulated`. A simulated enclave is only as honest as the machine running it; genesis must opt in
/// with `allowSimulatedAttestation`.
///
/// DCAP evidence (`sgx-dcap`, `tdx-dcap`) is an Intel SGX or TDX quote with the enclave key.
/// ``PolicyAttestationVerifier`` verifies it through AnkrDCAP's `QuoteVerifier` with the collateral
/// it is given (the PCK chain to the trusted DCAP root, the CRLs, the QE report and quote
/// signatures, TCB info and QE identity at the time of verification), then applies the policy:
/// accepted TCB statuses, MRENCLAVE or MRSIGNER with a minimum ISV SVN (SGX), MRTD and RTMRs (TDX),
/// debug refused. Everything after the backend — policy, key binding, user data — is shared with
/// the simulated format, and every refusal has its own ``AttestationError``.
///
/// The enclave as a process (`ankr-enclave`): ``Enclave/mine(module:input:fuel:target:deadline:)``
/// runs a subtask in the enclave's own fuel-metered sandbox and draws the lottery for the fuel it
/// counted. ``EnclaveServer`` serves an enclave over a socket (``EnclaveEndpoint``: Unix, or loopback
/// TCP) in length-prefixed ``EnclaveFrame``s of ``EnclaveRequest`` / ``EnclaveReply``; the node uses
/// it through ``RemoteEnclave``. On hardware a ``DCAPEnclave`` quotes through a ``QuoteProvider``:
/// ``GramineQuoteProvider`` (SGX, `/dev/attestation`) or ``TDXQuoteProvider`` (configfs-tsm).
public enum AnkrEnclave {}
