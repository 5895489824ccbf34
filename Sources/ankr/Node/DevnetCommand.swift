import AnkrCommandLine
import AnkrCrypto
import AnkrEnclave
import AnkrNode
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `ankr devnet`: a local network of node processes with one command.
struct DevnetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet",
        abstract: "Start a local network: N block-producing nodes on loopback, sharing one genesis; Ctrl-C stops all.",
        discussion: """
            A directory that already holds a devnet is resumed with its state (the banner says so, with its height); \
            otherwise a fresh genesis is written there. A fresh PoUW network first measures this machine's fuel rate \
            (about a second) and starts at the difficulty that gives one block per --period.
            """)

    @Option(help: "Number of nodes.")
    var nodes = 3

    @Option(help: "Directory for the network's data, resumed when it holds one (default: a fresh, unpredictable owner-only temporary directory, printed at start).")
    var dir: String?

    @Flag(help: "Start over: delete the network in --dir (its genesis, nodes and services' files; nothing else) and write a fresh one.")
    var fresh = false

    @Option(help: "Target seconds between blocks: under PoUW the chain's block time (written to a fresh genesis); with --consensus dev the producers take turns at that pace.")
    var period: Double = 5

    @Option(name: .customLong("http.port"), help: "RPC port of the first node; the others follow (0 picks free ports).")
    var httpPort = 8545

    @Option(help: "Seconds between status lines (0: none).")
    var status: Double = 5

    @Option(help: "Share of the time each PoUW miner computes (default: half the machine's cores split among the nodes).")
    var duty: Double?

    @Option(help: "pouw (simulated-enclave Proof of Useful Work miners) or dev (the development sealer).")
    var consensus = "pouw"

    @OptionGroup var services: DevnetServiceOptions

    /// Publicly known development keys funded in every devnet genesis: never use them elsewhere.
    static var keys: [PrivateKey] {
        DevGenesis.accountKeys
    }

    func run() throws {
        try reportingErrors {
            guard (1...32).contains(nodes) else { throw CommandFailure("--nodes must be between 1 and 32") }
            guard period > 0, period <= 3600 else { throw CommandFailure("--period must be between 0 and 3600 seconds") }
            guard consensus == "pouw" || consensus == "dev" else { throw CommandFailure("--consensus must be pouw or dev") }
            // The nodes take consecutive ports from --http.port.
            guard httpPort == 0 || (1...(65_536 - nodes)).contains(httpPort) else {
                throw CommandFailure("--http.port must be 0 (free ports) or leave room for \(nodes) ports below 65536")
            }
            // Without --dir: a fresh directory nobody else can predict, pre-create or read (it holds the devnet's keys).
            let root = URL(fileURLWithPath: try dir ?? SecretFile.makeTemporaryDirectory(prefix: "ankr-devnet-"))
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let pouw = consensus == "pouw"
            let minerDuty = duty ?? min(1, max(0.05, Double(ProcessInfo.processInfo.activeProcessorCount) / Double(nodes) / 2))
            guard minerDuty >= 0.01, minerDuty <= 1 else { throw CommandFailure("--duty must be between 0.01 and 1") }
            // Catch Ctrl-C before anything is started or printed: a signal arriving between the banner and a later
            // handler would be lost (the handler ignores the default action first), leaving the devnet running.
            let stop = SignalFlag()
            let directory = DevnetDirectory(root: root)
            if fresh { try directory.removeNetwork() }
            // The network in the directory, or a fresh one: for PoUW, its difficulty calibrated to this machine and one
            // development attestation root whose key every node shares, so each can certify its own simulated platform.
            let network = try DevnetNetwork.open(in: directory, pouw: pouw, nodes: nodes, period: period, duty: minerDuty)

            let rpcPorts = try (0..<nodes).map { i in httpPort == 0 ? try FreePort.pick() : httpPort + i }
            let p2pPorts = try (0..<nodes).map { _ in try FreePort.pick() }
            let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            var children: [Process] = []
            defer { Self.stop(children) }
            // Declared after the nodes' defer, so the services stop first.
            let extras = DevnetServices(root: root, exe: exe, node: "http://127.0.0.1:\(rpcPorts[0])")
            defer { extras.stop() }
            for i in 0..<nodes {
                let d = directory.node(i)
                let datadir = d.url
                if !d.isInitialized {
                    _ = try d.initialize(genesisJSON: network.genesis)
                    if pouw {
                        if let rootKey = network.rootKey { try DataDirectory.writeKey(rootKey, to: d.attestationRootKeyFile) }
                        try DataDirectory.writeKey(Self.workerKey(i), to: d.minerKeyFile)
                    }
                }
                let p = Process()
                p.executableURL = exe
                p.arguments = ["node", "--datadir", datadir.path, "--http.port", String(rpcPorts[i]), "--p2p.port", String(p2pPorts[i]),
                               // Dev sealing: every node produces, spaced by N periods to keep about one block per
                               // period. PoUW: every node mines; difficulty retargeting sets the pace.
                               "--miner.coinbase", (pouw ? Self.workerKey(i).address : Self.coinbase(i)).checksummed,
                               // A development network serves the debug namespace, as `ankr node --dev` does.
                               "--http.api", RPCLimits.defaultAPIs.union(["debug"]).sorted().joined(separator: ",")]
                    + (pouw ? ["--mine", "--mine.duty", String(minerDuty)] : ["--dev.period", String(period * Double(nodes))])
                    + (i == 0 ? [] : ["--bootnodes", "127.0.0.1:\(p2pPorts[0])"])
                let log = datadir.appendingPathComponent("node.log")
                // Appended to, like the services' logs, so a resumed network keeps the earlier run's lines.
                if !FileManager.default.fileExists(atPath: log.path) {
                    guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw CommandFailure("cannot create \(log.path)") }
                }
                let handle = try FileHandle(forWritingTo: log)
                handle.seekToEndOfFile()
                p.standardOutput = handle
                p.standardError = handle
                try p.run()
                children.append(p)
            }
            print("Ankr devnet: \(nodes) \(pouw ? "PoUW mining (simulated enclaves)" : "dev-sealing") nodes, chain id \(DevGenesis.chainID), block time \(network.blockTime) s, data in \(root.path)")
            if let height = network.resumedHeight {
                print("resuming the network in \(root.path) at height \(height) (delete \(root.path) or use `--fresh` to start over)")
            } else {
                print("fresh network written to \(root.path)")
            }
            if let c = network.calibration {
                let atMinimum = c.difficulty == DevnetNetwork.minimumDifficulty ? " (the chain's minimum)" : ""
                print("starting difficulty \(c.difficulty)\(atMinimum) for one block per \(c.blockTime) s: \(c.rate.miners) miner\(c.rate.miners == 1 ? "" : "s") at duty "
                      + String(format: "%.2f measured %.0f fuel/s together", c.rate.duty, c.rate.fuelPerSecond))
            }
            for i in 0..<nodes {
                print("node\(i)  http://127.0.0.1:\(rpcPorts[i])  p2p 127.0.0.1:\(p2pPorts[i])  log \(root.path)/node\(i)/node.log")
            }
            print("funded dev accounts (public keys, development only):")
            for k in Self.keys { print("  \(k.address.checksummed)  key \(k.bytes.hexPrefixed)") }
            print("Ctrl-C stops the network.")
            fflush(nil)
            try extras.start(services.services, options: services, stop: stop)

            let clients = rpcPorts.compactMap { URL(string: "http://127.0.0.1:\($0)").map { EthClient(url: $0, timeout: 2) } }
            while !stop.raised {
                for (i, child) in children.enumerated() where !child.isRunning {
                    print("node\(i) exited with status \(child.terminationStatus); see its node.log")
                    throw ExitCode(1)
                }
                if let failed = extras.exited() { throw failed }
                if status > 0 {
                    let line = clients.enumerated().map { i, c -> String in
                        guard let block = try? c.block(number: .latest), let peers = try? c.peerCount() else {
                            return "node\(i): starting"
                        }
                        let age = Int(Date().timeIntervalSince1970) - Int(clamping: block.timestamp)
                        return "node\(i): #\(block.number) peers \(peers) last block \(max(0, age))s ago"
                    }.joined(separator: "  ")
                    print("\(ISO8601DateFormatter().string(from: Date()))  \(line)")
                    fflush(nil)
                }
                stop.wait(seconds: status > 0 ? status : 1)
            }
            print("stopping…")
        }
    }

    /// Each PoUW node's worker account (`<datadir>/miner.key`): it posts result bonds, is paid for
    /// WorkMarket subtasks and takes the block rewards. Funded in genesis; development only.
    static func workerKey(_ i: Int) -> PrivateKey {
        (try? PrivateKey(Keccak256.hash(Array("ankr-devnet-worker-\(i)".utf8)))) ?? DevGenesis.key
    }

    static func coinbase(_ i: Int) -> Address { (try? Address([UInt8](repeating: UInt8(i + 1), count: 20))) ?? .zero }

    /// A devnet genesis: PoUW with `attestationRoot` as its development root and `difficulty` at genesis, or
    /// dev sealing without one; the dev accounts and `workers` worker accounts funded.
    static func genesisJSON(blockTime: Double, attestationRoot: [UInt8]?, workers: Int = 0, difficulty: UInt64 = DevnetNetwork.minimumDifficulty) -> String {
        let consensus = attestationRoot.map { root in
            """
            , "consensus": "pouw", "attestationRoots": ["\(root.hexPrefixed)"],
                        "allowedMeasurements": ["\(SimulatedEnclave.measurement(named: DevGenesis.minerEnclaveName))"],
                        "allowSimulatedAttestation": true, "minimumDifficulty": "0x\(String(DevnetNetwork.minimumDifficulty, radix: 16))", "workDisputeWindow": 10
            """
        } ?? ""
        let funded = keys + (0..<workers).map(workerKey)
        let alloc = funded.map { "\"\($0.address.checksummed)\": { \"balance\": \"\(DevGenesis.balance.hexQuantity)\" }" }.joined(separator: ",\n    ")
        return """
        {
          "config": { "chainId": \(DevGenesis.chainID), "ankr": { "blockTimeSeconds": \(max(1, Int(blockTime.rounded()))), \(DevGenesis.unlockJSON), \(DevGenesis.oracleJSON),
                                  "appchains": { "disputeWindowSeconds": 120 }\(consensus) } },
          "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "difficulty": "\(attestationRoot == nil ? "0x1" : "0x" + String(difficulty, radix: 16))",
          "timestamp": "0x\(String(UInt64(Date().timeIntervalSince1970), radix: 16))", "extraData": "0x",
          "alloc": {
            \(alloc)
          }
        }

        """
    }

    /// SIGTERM to every node, then SIGKILL to any still running after 10 s.
    static func stop(_ children: [Process]) {
        for c in children where c.isRunning { c.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while children.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        for c in children where c.isRunning { kill(c.processIdentifier, SIGKILL) }
    }
}
