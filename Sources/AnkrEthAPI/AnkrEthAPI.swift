/// AnkrEthAPI is the node's own JSON-RPC API over an `RPCBackend`: ``EthNamespace`` (`eth_`, `net_`,
/// `web3_` in Ethereum's exact formats, for web3.py and MetaMask, including `eth_simulateV1`),
/// ``TxPoolNamespace`` (`txpool_` pool contents), ``AnkrNamespace`` (`ankr_` node,
/// peer and explorer methods; peers through the ``NetworkStatus`` the node implements), ``DebugNamespace``
/// (`debug_` raw data and geth's tracers over re-executed blocks, and `eth_createAccessList`),
/// ``FilterNamespace`` (polling filters) and ``SubscriptionNamespace`` (`eth_subscribe` over WebSocket),
/// both following the ``ChainEventFollower`` (new heads as blocks and logs removed and added; log
/// criteria in ``LogFilter``, shared with `eth_getLogs`), ``DevAccountNamespace`` (`eth_sendTransaction`,
/// `eth_sign`, `personal_sign`, … with the keys a development chain unlocks; `eth_fillTransaction` anywhere), and the
/// ``ExplorerPage`` served at `/explorer`. Seals are shown as the chain's sealer describes them.
public enum AnkrEthAPI {}
