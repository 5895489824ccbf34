/// AnkrPrimitives holds the consensus-critical building blocks every other Ankr target uses:
/// hex and byte helpers, ``H256``, ``Address`` (EIP-55), the fixed-width ``UInt256``,
/// ``Keccak256``, strict ``RLP``, the Solidity ``ABI`` codec, and ``JSON``, the value type every
/// JSON boundary (RPC results and replies, genesis and test files) reads and writes.
///
/// Everything here is pure and value-typed, so it is `Sendable` and safe to call from any task.
public enum AnkrPrimitives {}
