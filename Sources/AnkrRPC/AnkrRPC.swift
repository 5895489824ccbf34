/// AnkrRPC is JSON-RPC 2.0 over HTTP (SwiftNIO), both ends of it, right above the chain types:
/// ``RPCServer`` handles transport, body limits, batches, CORS, GET routes and REST services;
/// ``RPCMethodTable`` dispatches to handlers that namespaces (the `eth_` API in AnkrEthAPI, `work_`
/// in AnkrWork, `plasma_`, `nos_`) register over an ``RPCBackend``, serving only enabled namespaces
/// and admitting heavy calls through an ``RPCCallGate``; ``RPCLimits`` holds those limits. On the
/// client side, ``RPCClient`` sends calls with a reply cap, ``EthClient`` reads the `eth_` API into
/// typed values, and ``Transactor`` signs and sends an account's transactions.
public enum AnkrRPC {}
