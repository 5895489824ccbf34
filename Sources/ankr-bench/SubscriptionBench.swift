import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation
import Synchronization

/// `ankr-bench subscriptions`: how many WebSocket notifications per second the RPC server fans out to
/// many subscribers, each received and parsed by a ``WebSocketRPCClient``, for a `newHeads`-sized and a
/// `logs`-sized message; the baseline is HTTP JSON-RPC calls per second on the same server (the
/// transport + JSON cost of a poller asking `eth_blockNumber`).
struct SubscriptionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscriptions",
        abstract: "WebSocket notifications/s to N subscribers (newHeads- and logs-sized), against HTTP calls/s on the same server.")

    @Option(help: "WebSocket subscribers.")
    var subscribers = 100

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 3

    @Option(help: "HTTP keep-alive connections for the baseline.")
    var connections = 8

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    /// The sessions that subscribed, to push notifications through.
    final class Sessions: Sendable {
        let all = Mutex<[any RPCSession]>([])
    }

    /// Notifications one subscriber has read.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    func run() throws {
        try reportingErrors {
            guard (1...1000).contains(subscribers), seconds > 0 else { throw BenchError.options("--subscribers, --seconds", mustBe: "1…1000 and positive") }
            let sessions = Sessions()
            var limits = RPCLimits()
            limits.apis = ["eth"]
            let table = RPCMethodTable(limits: limits)
            table.register("eth_blockNumber") { _ in "0x1b4" }
            table.register("eth_subscribe", session: { _, session in
                guard let session else { throw RPCError.methodNotFound("eth_subscribe over HTTP") }
                sessions.all.withLock { $0.append(session) }
                return .string("0x\(String(session.sessionID, radix: 16))")
            })
            var config = RPCServer.Configuration()
            config.port = 0
            let server = try RPCServer(configuration: config, table: table)
            defer { server.shutdown() }

            let heads = try fanOut(port: server.port, sessions: sessions, payload: Self.newHead, label: "newHeads")
            let logs = try fanOut(port: server.port, sessions: sessions, payload: Self.log, label: "logs")
            let http = try LoadGenerator.run(port: server.port, body: #"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}"#,
                                             connections: connections, seconds: seconds)
            if json {
                print(JSON.object(["subscribers": .int(Int64(subscribers)), "newHeads_notifications_per_second": .double(heads),
                                   "logs_notifications_per_second": .double(logs), "http_eth_blockNumber_per_second": .double(http),
                                   "http_connections": .int(Int64(connections))]).text)
            } else {
                print(String(format: "newHeads to %d subscribers   %9.0f notifications/s", subscribers, heads))
                print(String(format: "logs to %d subscribers       %9.0f notifications/s", subscribers, logs))
                print(String(format: "HTTP eth_blockNumber          %9.0f calls/s (%d connections; transport + JSON baseline)", http, connections))
            }
        }
    }

    /// Subscribes `subscribers` clients, then pushes `payload` to every session for `seconds`, keeping
    /// each subscriber at most a window behind (so the server's slow-subscriber bound never trips):
    /// notifications received per second, summed over subscribers.
    private func fanOut(port: Int, sessions: Sessions, payload: JSON, label: String) throws -> Double {
        sessions.all.withLock { $0 = [] }
        let box = ResultBox<Double>()
        let done = DispatchSemaphore(value: 0)
        let count = subscribers, seconds = self.seconds
        Task {
            defer { done.signal() }
            do {
                box.set(.success(try await Self.measure(port: port, subscribers: count, seconds: seconds, sessions: sessions, payload: payload)))
            } catch {
                box.set(.failure(BenchError.deliveryFailed("\(label): \(error)")))
            }
        }
        guard done.wait(timeout: .now() + seconds + 60) == .success else { throw BenchError.timedOut(label, seconds: Int(seconds) + 60) }
        return try box.get()
    }

    private static func measure(port: Int, subscribers: Int, seconds: Double, sessions: Sessions, payload: JSON) async throws -> Double {
        guard let url = URL(string: "ws://127.0.0.1:\(port)") else { throw BenchError.noRPCPort(port) }
        let received = (0..<subscribers).map { _ in Counter() }
        var clients: [WebSocketRPCClient] = []
        var readers: [Task<Void, Never>] = []
        for i in 0..<subscribers {
            let client = try await WebSocketRPCClient.connect(to: url)
            clients.append(client)
            let subscription = try await client.subscribe("bench")
            let counter = received[i]
            readers.append(Task {
                do {
                    for try await _ in subscription.notifications { counter.value.wrappingAdd(1, ordering: .relaxed) }
                } catch {}
            })
        }
        defer {
            for client in clients { client.close() }
            for reader in readers { reader.cancel() }
        }
        let targets = sessions.all.withLock { $0 }
        guard targets.count == subscribers else { throw BenchError.unanswered(answered: targets.count, of: subscribers) }
        let ids = targets.map { "0x\(String($0.sessionID, radix: 16))" }
        let window = 256
        var sent = 0
        let clock = ContinuousClock()
        let start = clock.now
        while (clock.now - start).seconds < seconds {
            let slowest = received.map { $0.value.load(ordering: .relaxed) }.min() ?? 0
            guard sent - slowest < window else {
                try await Task.sleep(for: .microseconds(200))
                continue
            }
            for (session, id) in zip(targets, ids) {
                let message: JSON = ["jsonrpc": "2.0", "method": "eth_subscription", "params": ["subscription": .string(id), "result": payload]]
                guard session.notify(message) else { throw BenchError.deliveryFailed("session \(id) closed") }
            }
            sent += 1
        }
        let elapsed = (clock.now - start).seconds
        let total = received.reduce(0) { $0 + $1.value.load(ordering: .relaxed) }
        return Double(total) / elapsed
    }

    /// A block header as `newHeads` sends it (≈ 1 KB of JSON).
    static let newHead: JSON = {
        let h = "0x" + String(repeating: "ab", count: 32)
        return ["parentHash": .string(h), "sha3Uncles": .string(h), "miner": "0x00000000000000000000000000000000c0ffee00",
                "stateRoot": .string(h), "transactionsRoot": .string(h), "receiptsRoot": .string(h),
                "logsBloom": .string("0x" + String(repeating: "0", count: 512)), "difficulty": "0x0", "number": "0x1b4",
                "gasLimit": "0x1c9c380", "gasUsed": "0x5208", "timestamp": "0x6571a2b0", "extraData": "0x",
                "mixHash": .string(h), "nonce": "0x0000000000000000", "baseFeePerGas": "0x7", "hash": .string(h)]
    }()

    /// One log as the `logs` subscription sends it (≈ 500 B of JSON).
    static let log: JSON = {
        let h = "0x" + String(repeating: "cd", count: 32)
        return ["address": "0x5fbdb2315678afecb367f032d93f642f64180aa3", "topics": .array([.string(h), .string(h)]),
                "data": .string("0x" + String(repeating: "00", count: 32)), "blockNumber": "0x1b4", "transactionHash": .string(h),
                "transactionIndex": "0x0", "blockHash": .string(h), "logIndex": "0x0", "removed": false]
    }()
}
