/// AnkrEthAPI is the node's own JSON-RPC API over an `RPCBackend`: ``EthNamespace`` (`eth_`, `net_`,
/// `web3_` in Ethereum's exact formats, for web3.py and MetaMask), ``AnkrNamespace`` (`ankr_` node,
/// peer and explorer methods; peers through the ``NetworkStatus`` the node implements) and the
/// ``ExplorerPage`` served at `/explorer`. Seals are shown as the chain's sealer describes them.
public enum AnkrEthAPI {}
