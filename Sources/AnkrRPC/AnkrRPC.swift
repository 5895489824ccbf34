/// AnkrRPC serves JSON-RPC 2.0 over HTTP (SwiftNIO): ``RPCServer`` handles transport, limits,
/// batches and CORS; ``RPCMethodTable`` dispatches, serving only enabled namespaces and admitting
/// heavy calls through an ``RPCCallGate``; ``RPCLimits`` holds those limits; ``EthNamespace``
/// implements the `eth_`, `net_` and `web3_` methods web3.py and MetaMask call, over an
/// ``RPCBackend`` the node provides.
public enum AnkrRPC {}
