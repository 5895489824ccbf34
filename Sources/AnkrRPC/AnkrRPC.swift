/// AnkrRPC is JSON-RPC 2.0 over HTTP and WebSocket (SwiftNIO), both ends of it, right above the chain
/// types: ``RPCServer`` handles transport, body limits, batches, CORS, GET routes, REST services and
/// the WebSocket upgrade on the same port (origins by ``WebSocketOriginPolicy``; each connection an
/// ``RPCSession`` with a bounded outbound queue that drops a subscriber too slow to keep up);
/// ``RPCMethodTable`` dispatches to handlers that namespaces (the `eth_` API in AnkrEthAPI, `work_`
/// in AnkrWork, `plasma_`, `nos_`) register over an ``RPCBackend`` (session handlers for methods that
/// notify later, like `eth_subscribe`), serving only enabled namespaces and admitting heavy calls
/// through an ``RPCCallGate``; ``RPCLimits`` holds those limits. On the client side, ``RPCClient``
/// sends calls with a reply cap, ``WebSocketRPCClient`` adds subscriptions over a WebSocket,
/// ``EthClient`` reads the `eth_` API into typed values, ``Transactor`` signs and sends an
/// account's transactions, and ``ConfirmationWaiter`` follows one until it is enough blocks deep on the
/// canonical chain, across reorganisations.
public enum AnkrRPC {}
