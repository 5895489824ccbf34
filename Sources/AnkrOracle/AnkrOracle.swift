/// AnkrOracle is the Native Oracle System (DESIGN.md §6, after Town Crier):
/// - on chain, the ``NOSContract`` system contract (requests, fees, the published enclave key, and
///   deliveries signed by an enclave registered as an oracle in AnkrEnclaveRegistry's
///   `EnclaveRegistry`) with ``OracleRules`` from genesis, and ``NOSNamespace`` serving `nos_` over JSON-RPC;
/// - inside the enclave, ``OracleEnclave``: reads a request (decrypting private ones), fetches its
///   sources through a ``DataSource`` (``HTTPSDataSource``, whose ``DestinationPolicy`` allows public
///   addresses only, checked after resolution and pinned), and signs the ``OracleDatagram`` bound to
///   chain, contract, request and params; a failed public request's answer carries its cause
///   (``OracleEnclave/cause(of:)``), a private one's nothing. Its data path is pure and deterministic: ``OracleJSON`` (a
///   strict, bounded JSON reader that keeps numbers as their exact source text), ``JSONPointer``,
///   ``XMLPath``, ``DecimalValue`` (a number scaled to fixed decimals) and ``MedianAggregate``;
/// - outside it, the untrusted ``OracleRelay``: keeps the enclave registered (renewing before the
///   registration expires), scans the contract's request logs through a node's typed client and
///   delivers the enclave's answers.
public enum AnkrOracle {}
