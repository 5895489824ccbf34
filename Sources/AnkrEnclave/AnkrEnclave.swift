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
/// An SGX DCAP backend would produce the same ``AttestationClaims`` from a DCAP quote: verify the
/// PCK certificate chain to Intel's SGX root CA (checking CRLs and the TCB info and QE identity
/// collateral, signed by Intel's TCB signing key), verify the quoting enclave's report and the ECDSA
/// quote signature by the attestation key it certifies, then read MRENCLAVE (measurement), MRSIGNER
/// (signer), the DEBUG attribute, the platform's FMSPC/PPID (platform id) and the 64-byte report data.
/// Everything after that — policy, key binding, freshness — is shared with the simulated backend.
public enum AnkrEnclave {}
