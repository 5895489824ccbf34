/// AnkrOracle is the Native Oracle System (DESIGN.md §6, after Town Crier). What is here so far is
/// the enclave's data path, pure and deterministic so every step can be tested and re-checked:
/// - ``OracleJSON``: a strict, bounded JSON reader that keeps numbers as their exact source text
///   (prices must not pass through a binary double);
/// - ``JSONPointer``: RFC 6901 paths into a document;
/// - ``DecimalValue``: a number scaled to fixed decimals, the form contracts receive;
/// - ``MedianAggregate``: the median of several sources, refused when too few agree;
/// - ``OracleDatagram``: the answer the enclave signs, bound to chain, contract, request and params;
/// - ``DestinationPolicy``: which addresses ``HTTPSDataSource`` may connect to (public ones only,
///   unless the operator allows private destinations), checked after resolution and pinned.
public enum AnkrOracle {}
