/// AnkrTrie holds the authenticated data structures of the chain: Ethereum's hexary
/// ``MerklePatriciaTrie`` (plain and secure, with `eth_getProof`-shaped proofs) over a
/// ``NodeStore``, and the fixed-depth ``BinaryMerkleTree`` that Plasma blocks commit to.
public enum AnkrTrie {}
