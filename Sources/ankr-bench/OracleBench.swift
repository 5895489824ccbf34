import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrNode
import AnkrOracle
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Oracle throughput against a local HTTPS source (self-signed, trusted through the enclave's extra
/// roots): datagrams per second through the enclave alone (fetch over TLS, parse, scale, sign), then
/// through enclave and relay together on a dev node (requests on chain → delivered on chain).
struct OracleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oracle", abstract: "Oracle datagrams per second: enclave alone, and enclave + relay delivering on a dev node.")

    @Option(help: "Requests answered by the enclave alone.") var requests = 2_000
    @Option(help: "Requests delivered through the relay.") var delivered = 400
    @Option(help: "Requests answered at once.") var concurrency = 64
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-oracle-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                                 "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            do { try openssl.run() } catch { throw BenchError.opensslUnavailable }
            openssl.waitUntilExit()
            guard openssl.terminationStatus == 0 else { throw BenchError.certificateNotMade }

            let server = try LocalHTTPSSource(certificate: cert, key: key, body: Array(#"{"data":{"price":"61234.56789","volume":12}}"#.utf8))
            defer { server.stop() }
            let url = "https://localhost:\(server.port)/price"
            // The bench's source is on loopback.
            let source = try HTTPSDataSource(caFile: cert, policy: DestinationPolicy(allowsPrivateDestinations: true))
            let platformRoot = DevGenesis.oracleAttestationRoot
            let platform = try SimulatedPlatform(id: Keccak256.h256([1]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: platformRoot))
            let enclave = SimulatedEnclave(name: DevGenesis.oracleEnclaveName, platform: platform)
            let oracle = OracleEnclave(enclave: enclave, chainID: DevGenesis.chainID, source: source)
            let params = try ABI.encode([.string(url), .string("/data/price"), .uint(UInt256(8))], types: [.string, .string, .uint(bits: 8)])

            // 1. The enclave alone.
            let n = requests, width = concurrency
            let enclaveRate = try blocking {
                let started = Date()
                var answered = 0
                for start in stride(from: 0, to: n, by: width) {
                    answered += await withTaskGroup(of: Bool.self) { group in
                        for i in start..<min(n, start + width) {
                            group.addTask { (try? await oracle.answer(OracleRequest(id: UInt256(UInt64(i + 1)), type: 1, params: params)))?.error == OracleErrorCode.none }
                        }
                        var ok = 0
                        for await a in group where a { ok += 1 }
                        return ok
                    }
                }
                guard answered == n else { throw BenchError.unanswered(answered: answered, of: n) }
                return Double(n) / Date().timeIntervalSince(started)
            }

            // 2. Enclave + relay on a dev node: requests already on chain, delivered by the relay.
            let nodeDir = dir.appendingPathComponent("node")
            var config = Node.Configuration(dataDirectory: DataDirectory(url: nodeDir), genesis: DevGenesis.genesis)
            config.rpc.port = 0
            let node = try Node(configuration: config, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
            defer { node.shutdown() }
            guard let rpcURL = URL(string: "http://127.0.0.1:\(node.rpcPort)") else { throw BenchError.noRPCPort(node.rpcPort) }
            let rpc = RPCClient(url: rpcURL)
            let requester = Transactor(rpc: rpc, signer: DevGenesis.key)
            // Three relays, each with its own enclave on its own platform: k = 1 uses the first, k = 3 all three.
            var relays = [OracleRelay]()
            for i in 0..<3 {
                let relayKey = PrivateKey.random()
                try requester.waitForSuccess(try requester.send(to: relayKey.address, value: UInt256(10) &* UInt256(1_000_000_000_000_000_000)))
                let enclave = i == 0 ? oracle : OracleEnclave(
                    enclave: SimulatedEnclave(name: DevGenesis.oracleEnclaveName,
                                              platform: try SimulatedPlatform(id: Keccak256.h256([UInt8(i + 1)]), key: PrivateKey.random(),
                                                                              root: DevelopmentAttestationRoot(key: platformRoot))),
                    chainID: DevGenesis.chainID, source: source)
                let relay = OracleRelay(oracle: enclave, transactor: Transactor(rpc: rpc, signer: relayKey), concurrency: width,
                                        logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
                try relay.registerIfNeeded()
                relays.append(relay)
            }
            let total = delivered
            let single = try relayRate(requester: requester, relays: [relays[0]], enclaves: 1, params: params, count: total)
            let quorum = try relayRate(requester: requester, relays: relays, enclaves: 3, params: params, count: total)

            if json {
                print(JSON.object(["enclave_datagrams_per_second": .double(enclaveRate), "relay_datagrams_per_second": .double(single.requests),
                                   "k3_requests_per_second": .double(quorum.requests), "k3_datagrams_per_second": .double(quorum.datagrams),
                                   "requests": .int(clamping: n), "delivered": .int(clamping: total), "concurrency": .int(clamping: width)]).text)
                return
            }
            print(String(format: "enclave alone (HTTPS fetch + JSON pointer + scale + sign): %.0f datagrams/s (%d requests, %d at once)", enclaveRate, n, width))
            print(String(format: "enclave + relay, k = 1 (answers delivered on a dev node, deliver txs included): %.1f requests/s = %.1f datagrams/s (%d requests)",
                         single.requests, single.datagrams, total))
            print(String(format: "three enclaves + relays, k = 3 (each request answered by all three, aggregated on chain): %.1f requests/s = %.1f datagrams/s (%d requests)",
                         quorum.requests, quorum.datagrams, total))
        }
    }

    /// Puts `count` requests asking `enclaves` enclaves on chain (escrow at a cap of twice the base
    /// fee), then ticks `relays` together until every one is delivered; returns requests and signed
    /// datagrams delivered per second.
    func relayRate(requester: Transactor, relays: [OracleRelay], enclaves: UInt8, params: [UInt8], count: Int) throws -> (requests: Double, datagrams: Double) {
        guard let baseFee = try requester.client.block(number: .latest)?.baseFeePerGas else { throw BenchError.deliveryFailed("no base fee") }
        let cap = baseFee &+ baseFee
        let needed = try ABI.decode([.uint(bits: 256)], from: try requester.client.call(EthClient.CallRequest(
            to: NOSContract.address, data: try ABI.encodeCall("requiredEscrow(uint8,bool,uint256,uint8)",
                                                              [.uint(.one), .bool(false), .uint(cap), .uint(UInt256(UInt64(enclaves)))]))))
        let escrow = needed.first?.uintValue ?? .zero
        let call = try ABI.encodeCall(NOSContract.cappedRequestSignature, [.uint(UInt256(1)), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0]),
                                                                         .uint(cap), .uint(UInt256(UInt64(enclaves)))])
        var last: H256?
        for _ in 0..<count { last = try requester.send(to: NOSContract.address, value: escrow, data: call) }
        if let last { try requester.waitForSuccess(last) }
        let datagrams = count * Int(enclaves)
        return try blocking {
            let started = Date()
            var done = 0
            while done < datagrams {
                // The relays run side by side, as separate processes would, coordinating through the chain only.
                let rounds = await withTaskGroup(of: Result<OracleRelay.Round, Error>.self) { group in
                    for relay in relays { group.addTask { do { return .success(try await relay.tick()) } catch { return .failure(error) } } }
                    var out = [Result<OracleRelay.Round, Error>]()
                    for await r in group { out.append(r) }
                    return out
                }
                for r in rounds {
                    let round = try r.get()
                    done += round.delivered.count
                    guard round.failed.isEmpty else { throw BenchError.deliveryFailed(round.failed.first.map { "\($0.why)" } ?? "") }
                }
                if Date().timeIntervalSince(started) > 300 { throw BenchError.undelivered(delivered: done, of: datagrams, seconds: 300) }
            }
            let seconds = Date().timeIntervalSince(started)
            return (Double(count) / seconds, Double(datagrams) / seconds)
        }
    }

    /// Runs async work from this synchronous command and waits for it.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try box.get()
    }
}
