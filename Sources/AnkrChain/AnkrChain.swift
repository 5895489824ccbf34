/// AnkrChain owns the main chain's consensus objects. So far: Ethereum-exact ``Transaction``s
/// (legacy with EIP-155, EIP-2930 and EIP-1559 envelopes) with decoding, encoding, signing, sender
/// recovery, hashing and ``IntrinsicGas``. Headers, blocks, state and the mempool arrive with the
/// main-chain node.
public enum AnkrChain {}
