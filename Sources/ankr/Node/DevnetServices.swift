import AnkrCommandLine
import AnkrCrypto
import AnkrNode
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `ankr devnet --with` runs beside the nodes, all on node0's RPC: for `plasma`, a child chain
/// (created once, then found again on restart) and its operator process; for `oracle`, a local HTTPS data
/// source serving `<dir>/www` with a self-signed certificate and a relay (with its simulated enclave) that
/// trusts that certificate; for `appchain` and `realestate`, an application chain and its operator's node, and for
/// `realestate` with `oracle` a relay serving that chain (DevnetAppChain.swift). Each
/// uses its own funded devnet account, so none races another for nonces.
final class DevnetServices {
    /// The operator signs with the devnet's third funded key, the relay with its second; the first is the user's.
    static var operatorKey: PrivateKey { DevnetCommand.keys.dropFirst(2).first ?? DevGenesis.key }
    static var relayKey: PrivateKey { DevnetCommand.keys.dropFirst(1).first ?? DevGenesis.key }
    /// The child chain's stake (1 ANKR).
    static let stake = UInt256(1_000_000_000_000_000_000 as UInt64)
    /// Blocks on top of the one creating the child chain before its operator starts (a devnet's first
    /// blocks can be reorged while the nodes settle on one chain).
    static let confirmations: UInt64 = 2
    /// Files the data source starts with (kept when they exist, so edits survive restarts): a price in
    /// the shape of a public spot-price API, and the rent index of the dApps walkthrough.
    static let seedFiles = [
        "btc-usd.json": #"{"data": {"amount": "61234.56", "base": "BTC", "currency": "USD"}}"#,
        "rent.json": #"{"flat12": {"monthly": "2.1"}}"#,
    ]

    let root: URL
    let exe: URL
    let node: String
    private var processes: [(name: String, process: Process, log: String)] = []
    private var source: DevnetHTTPSSource?

    init(root: URL, exe: URL, node: String) {
        self.root = root
        self.exe = exe
        self.node = node
    }

    /// Starts `services`, printing each one's endpoints; returns early (having started what it could) when `stop` is raised.
    func start(_ services: [DevnetService], options: DevnetServiceOptions, stop: SignalFlag) throws {
        guard !services.isEmpty else { return }
        guard let url = URL(string: node) else { throw DevnetServiceError.invalidNodeURL(node) }
        let client = EthClient(url: url, timeout: 2)
        try waitForNode(client, stop: stop)
        // The data source's certificate, which the relays trust (with `oracle`).
        var certificate: String?
        if services.contains(.oracle), !stop.raised {
            let www = root.appendingPathComponent("www")
            try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
            for (name, body) in Self.seedFiles where !FileManager.default.fileExists(atPath: www.appendingPathComponent(name).path) {
                try Data((body + "\n").utf8).write(to: www.appendingPathComponent(name))
            }
            let (cert, key) = try DevnetCertificate.ensure(in: root.appendingPathComponent("https"))
            certificate = cert
            let served = try DevnetHTTPSSource(directory: www, certificate: cert, key: key, port: options.sourcePort)
            source = served
            // Loopback sources are refused by default (a request must not reach the relay's own network); a devnet allows them.
            let log = try spawn("relay", log: root.appendingPathComponent("oracle/relay.log"), arguments: [
                "oracle", "run", "--dev", "--datadir", root.appendingPathComponent("oracle").path, "--ca-file", cert,
                "--allow-private-destinations", "--private-key", Self.relayKey.bytes.hexPrefixed, "--rpc", node,
            ])
            print("oracle  relay \(Self.relayKey.address.checksummed)  log \(log)")
            print("        data source https://localhost:\(served.port)/ serving \(www.path)  certificate \(cert)")
            fflush(nil)
        }
        if services.contains(.plasma), !stop.raised {
            let found = (try? ownedChildChain(client)).flatMap { $0 }
            print(found.map { "plasma  resuming child chain \($0.0) (operator \(Self.operatorKey.address.checksummed))…" }
                  ?? "plasma  creating the child chain (operator \(Self.operatorKey.address.checksummed))…")
            fflush(nil)
            guard let (id, rootAddress) = try childChain(client, stop: stop) else { return }
            let port = options.plasmaPort == 0 ? try FreePort.pick() : options.plasmaPort
            let log = try spawn("operator", log: root.appendingPathComponent("operator/operator.log"), arguments: [
                "plasma", "operator", "--chain", String(id), "--datadir", root.appendingPathComponent("operator").path,
                "--http.port", String(port), "--deposit-confirmations", "1",
                "--private-key", Self.operatorKey.bytes.hexPrefixed, "--rpc", node,
            ])
            print("plasma  child chain \(id) root \(rootAddress)  operator http://127.0.0.1:\(port)  log \(log)")
            fflush(nil)
        }
        if services.contains(.appchain), !stop.raised {
            _ = try start(.eCommerce, client, port: options.appChainPort, certificate: nil, stop: stop)
        }
        if services.contains(.realestate), !stop.raised {
            _ = try start(.realEstate, client, port: options.realEstatePort, certificate: certificate, stop: stop)
        }
    }

    /// The first service process that is no longer running, as an error.
    func exited() -> DevnetServiceError? {
        processes.first { !$0.process.isRunning }.map { .processExited(name: $0.name, status: $0.process.terminationStatus, log: $0.log) }
    }

    /// Stops the processes (SIGTERM, then SIGKILL after 10 s) and the data source.
    func stop() {
        DevnetCommand.stop(processes.map(\.process))
        source?.stop()
        source = nil
    }

    func waitForNode(_ client: EthClient, stop: SignalFlag) throws {
        let seconds = 120
        let deadline = Date().addingTimeInterval(Double(seconds))
        while !stop.raised {
            if (try? client.blockNumber()) != nil { return }
            guard Date() < deadline else { throw DevnetServiceError.nodeUnreachable(url: node, seconds: seconds) }
            stop.wait(seconds: 0.2)
        }
    }

    /// The operator key's child chain once the block creating it is `confirmations` deep: found on chain (a
    /// restart), or created. A creation that a reorg drops is followed to its new block, or sent again if it left the pool.
    private func childChain(_ client: EthClient, stop: SignalFlag) throws -> (UInt64, String)? {
        let seconds = 300
        let deadline = Date().addingTimeInterval(Double(seconds))
        let transactor = Transactor(client: client, signer: Self.operatorKey)
        var sent: H256?
        while !stop.raised {
            guard Date() < deadline else { throw DevnetServiceError.childChainNotConfirmed(seconds: seconds) }
            if let head = try? client.blockNumber() {
                if let found = try? ownedChildChain(client) {
                    if let created = try? creationBlock(of: found.0, head: head, client), head >= created + Self.confirmations { return found }
                } else {
                    if let hash = sent, let receipt = try client.receipt(hash), !receipt.succeeded {
                        throw DevnetServiceError.childChainCreationFailed("transaction \(hash) failed in block \(receipt.blockNumber)")
                    }
                    let pending = try sent.map { try client.transaction($0) != nil } ?? false
                    if !pending {
                        do {
                            sent = try transactor.send(to: ChildChainRegistry.address, value: Self.stake, data: try ABI.encodeCall("createChildChain()", []))
                        } catch {
                            throw DevnetServiceError.childChainCreationFailed("\(error)")
                        }
                    }
                }
            }
            stop.wait(seconds: 0.5)
        }
        return nil
    }

    /// The first child chain the operator key runs, from `ankr_childChains`; nil when there is none.
    private func ownedChildChain(_ client: EthClient) throws -> (UInt64, String)? {
        let chains = try client.rpc.call("ankr_childChains", []).array ?? []
        let me = Self.operatorKey.address.checksummed
        for chain in chains where chain["operator"]?.string == me {
            guard let text = chain["id"]?.string, text.hasPrefix("0x"), let id = UInt64(text.dropFirst(2), radix: 16),
                  let root = chain["root"]?.string else { continue }
            return (id, root)
        }
        return nil
    }

    /// The block whose `ChildChainCreated` event created chain `id`, searched in the node's widest log range
    /// below the head; a chain that exists with no event in that range was created earlier still (block 0 stands for it).
    private func creationBlock(of id: UInt64, head: UInt64, _ client: EthClient) throws -> UInt64 {
        guard let created = ChildChainRegistry.interface.event(named: "ChildChainCreated")?.topic else { return 0 }
        let range: UInt64 = 9_999
        let filter = EthClient.LogFilter(addresses: [ChildChainRegistry.address], topics: [[created], [H256(word: UInt256(id))]],
                                         fromBlock: .number(head > range ? head - range : 0), toBlock: .number(head))
        return try client.logs(filter).last?.blockNumber ?? 0
    }

    func spawn(_ name: String, log: URL, arguments: [String]) throws -> String {
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Appended to, so a restart keeps the earlier run's lines.
        if !FileManager.default.fileExists(atPath: log.path) {
            guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw DevnetServiceError.logNotCreated(path: log.path) }
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        processes.append((name, p, log.path))
        return log.path
    }
}
