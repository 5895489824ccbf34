/// AnkrEnclaveRegistry holds the ``EnclaveRegistry`` system contract, where enclaves register their
/// keys for a role (``EnclaveRole``: miner or oracle) with attestation evidence and anyone posts the
/// DCAP collateral that evidence is verified with, and the ``AttestationRules`` genesis sets for it.
/// Consumers (WorkMarket, NOS, seal validation) read live registrations (``EnclaveRegistration``)
/// with ``EnclaveRegistry/registration(of:role:state:time:)``.
public enum AnkrEnclaveRegistry {}
