/// AnkrPlasma holds Ankr's Plasma child chains (DESIGN.md §5), with the encodings of the reference
/// Plasma MVP so independent tools agree byte for byte:
/// - ``PlasmaTransaction``: two inputs, two outputs and a fee, RLP in the white paper's field order,
///   hashed without its signatures, each owner signing that raw hash (v = 27/28);
/// - ``UTXOPosition``: blknum·10^9 + txindex·10^4 + oindex;
/// - ``ChildBlock``: the transactions of one child block, their depth-16 Merkle tree of
///   keccak256(txHash ‖ sig1 ‖ sig2) leaves, and the header hash keccak256(root ‖ previous header hash);
/// - ``ConfirmSignature``: an owner's signature over keccak256(txHash ‖ blockRoot), given once the
///   block that holds the transaction is known to be available.
///
/// On the main chain: the ``ChildChainRegistry`` and one ``PlasmaRoot`` system contract per child
/// chain (deposits, block roots, the ``ExitQueue``, fraud proofs), with ``PlasmaRules`` from genesis,
/// and ``ChildChainNamespace`` (`ankr_childChains`) serving them over JSON-RPC.
///
/// Off chain, over JSON-RPC (``RootContractClient`` and ``OperatorClient``, which trust no reply):
/// the operator (``PlasmaOperator``, its ``ChildChainStore``, ``OperatorService`` following the main
/// chain through a ``MainChainReader``, ``OperatorNamespace`` serving `plasma_`), the owner's
/// ``ChildChainWallet`` and the ``ChildChainWatcher`` that proves fraud and exits.
public enum AnkrPlasma {}
