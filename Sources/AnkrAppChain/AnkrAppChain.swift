/// Application chains (DESIGN.md §8): EVM child chains whose operators commit every block to the main
/// chain with its transactions, and whose blocks anyone can dispute there by stateless re-execution.
/// This target holds the main-chain half (``AppChainRegistry``, ``AppChainRoot``, ``ChildChainsIndex``)
/// and the check both halves share (``StatelessBlockCheck``).
public enum AnkrAppChain {}
