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
            let relayKey = PrivateKey.random()
            let requester = Transactor(rpc: rpc, signer: DevGenesis.key)
            try requester.waitForSuccess(try requester.send(to: relayKey.address, value: UInt256(1_000_000_000_000_000_000)))
            let relay = OracleRelay(oracle: oracle, transactor: Transactor(rpc: rpc, signer: relayKey), concurrency: width,
                                    logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
            try relay.registerIfNeeded()
            let fee = UInt256(1_000_000_000_000_000)
            let call = try ABI.encodeCall(NOSContract.requestSignature, [.uint(UInt256(1)), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0])])
            var last: H256?
            for _ in 0..<delivered { last = try requester.send(to: NOSContract.address, value: fee, data: call) }
            if let last { try requester.waitForSuccess(last) }
            let total = delivered
            let relayRate = try blocking {
                let started = Date()
                var done = 0
                while done < total {
                    let round = try await relay.tick()
                    done += round.delivered.count
                    guard round.failed.isEmpty else { throw BenchError.deliveryFailed(round.failed.first.map { "\($0.why)" } ?? "") }
                    if Date().timeIntervalSince(started) > 300 { throw BenchError.undelivered(delivered: done, of: total, seconds: 300) }
                }
                return Double(total) / Date().timeIntervalSince(started)
            }

            if json {
                print(JSON.object(["enclave_datagrams_per_second": .double(enclaveRate), "relay_datagrams_per_second": .double(relayRate),
                                   "requests": .int(clamping: n), "delivered": .int(clamping: total), "concurrency": .int(clamping: width)]).text)
                return
            }
            print(String(format: "enclave alone (HTTPS fetch + JSON pointer + scale + sign): %.0f datagrams/s (%d requests, %d at once)", enclaveRate, n, width))
            print(String(format: "enclave + relay (answers delivered on a dev node, deliver txs included): %.0f datagrams/s (%d requests)", relayRate, total))
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
