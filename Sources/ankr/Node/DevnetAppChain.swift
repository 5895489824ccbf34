import AnkrAppChain
import AnkrCrypto
import AnkrNode
import AnkrPrimitives
import AnkrRPC
import Foundation

/// An application chain `ankr devnet` runs: `--with appchain` an e-commerce chain (chain id 4242) operated by the
/// devnet's fourth funded key, `--with realestate` a real-estate chain (chain id 4243, the dApp walkthrough's) operated
/// by the fifth. Its genesis is written once under `<dir>/<directory>`, registered on the devnet once, and its operator's
/// node started, committing every block to the devnet and relaying deposits and messages.
struct DevnetAppChain: Sendable {
    /// The service's name, its directory under the devnet's and the first word of its lines.
    var name: String
    var chainID: UInt64
    var profile: AppChainProfile
    var operatorKey: PrivateKey
    /// The key of the oracle relay serving the chain, when it has one (with `--with oracle`).
    var relayKey: PrivateKey?

    static let eCommerce = DevnetAppChain(name: "appchain", chainID: 4242, profile: .eCommerce, operatorKey: key(3), relayKey: nil)
    static let realEstate = DevnetAppChain(name: "realestate", chainID: 4243, profile: .realEstate, operatorKey: key(4), relayKey: key(5))

    private static func key(_ index: Int) -> PrivateKey { DevnetCommand.keys.dropFirst(index).first ?? DevGenesis.key }

    /// What the relay keeps on the chain for its gas (deposited from its main-chain balance when it has less).
    static let relayFunds = UInt256(10).multipliedReportingOverflow(by: UInt256(1_000_000_000_000_000_000 as UInt64)).partialValue
}

extension DevnetServices {
    /// The application chain's genesis file, written on first start (its header is what the main chain registers).
    func genesis(of chain: DevnetAppChain) throws -> URL {
        let dir = root.appendingPathComponent(chain.name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("genesis.json")
        guard !FileManager.default.fileExists(atPath: file.path) else { return file }
        let op = chain.operatorKey.address.checksummed
        let json = """
        {
          "config": { "chainId": \(chain.chainID), "ankr": { "consensus": "operator", "operator": "\(op)", "blockReward": "0x0" } },
          "coinbase": "\(op)", "gasLimit": "0x\(String(chain.profile.maxBlockGasLimit, radix: 16))", "baseFeePerGas": "0x0",
          "difficulty": "0x1", "timestamp": "0x\(String(UInt64(Date().timeIntervalSince1970), radix: 16))", "alloc": {}
        }

        """
        try Data(json.utf8).write(to: file)
        return file
    }

    /// Starts the application chain's operator node on `port` (0: a free one) and, with `source` (the oracle's data
    /// source certificate), its relay; returns the chain's id on the devnet, or nil when stopped first.
    func start(_ chain: DevnetAppChain, _ client: EthClient, port: Int, certificate: String?, stop: SignalFlag) throws -> UInt64? {
        print("\(chain.name) registering the \(chain.profile.rawValue) application chain (operator \(chain.operatorKey.address.checksummed))…")
        fflush(nil)
        // A devnet written before this chain existed funds fewer development keys.
        for key in [chain.operatorKey] + (certificate == nil ? [] : chain.relayKey.map { [$0] } ?? []) where (try? client.balance(of: key.address)) == .zero {
            throw DevnetServiceError.appChainFailed(name: chain.name,
                                                    reason: "its key \(key.address.checksummed) has no ANKR: this devnet's genesis predates it; start over with --fresh")
        }
        let genesis = try genesis(of: chain)
        let dir = root.appendingPathComponent(chain.name)
        let datadir = dir.appendingPathComponent("node")
        if !FileManager.default.fileExists(atPath: datadir.appendingPathComponent("genesis.json").path) {
            try runToEnd(["init", "--genesis", genesis.path, "--datadir", datadir.path], for: chain)
        }
        guard let id = try registered(chain, client, genesis: genesis, stop: stop) else { return nil }
        let key = dir.appendingPathComponent("operator.key")
        try DataDirectory.writeKey(chain.operatorKey, to: key)
        let port = port == 0 ? try FreePort.pick() : port
        let log = try spawn(chain.name, log: dir.appendingPathComponent("node.log"), arguments: [
            "node", "--datadir", datadir.path, "--no-p2p", "--http.port", String(port), "--operator.key", key.path,
            "--appchain.parent", node, "--appchain.id", String(id),
            "--miner.coinbase", chain.operatorKey.address.checksummed,
        ])
        // Announced once it answers, so whoever reads the line can use it at once.
        guard let url = URL(string: "http://127.0.0.1:\(port)") else { throw DevnetServiceError.invalidNodeURL("port \(port)") }
        let app = EthClient(url: url, timeout: 2)
        try waitForNode(app, stop: stop)
        print("\(chain.name) chain \(id) (chain id \(chain.chainID), \(chain.profile.rawValue)) root \(AppChainRegistry.rootAddress(id).checksummed)  "
              + "rpc http://127.0.0.1:\(port)  log \(log)")
        fflush(nil)
        if let relayKey = chain.relayKey, let certificate, !stop.raised {
            try fund(relayKey.address, on: id, app: app, main: client, signer: relayKey, stop: stop)
            guard !stop.raised else { return id }
            let relayLog = try spawn("\(chain.name)-relay", log: dir.appendingPathComponent("oracle/relay.log"), arguments: [
                "oracle", "run", "--dev", "--datadir", dir.appendingPathComponent("oracle").path, "--ca-file", certificate,
                "--allow-private-destinations", "--private-key", relayKey.bytes.hexPrefixed, "--rpc", url.absoluteString,
                "--appchain.parent", node, "--appchain.id", String(id),
            ])
            print("\(chain.name) oracle relay \(relayKey.address.checksummed)  log \(relayLog)")
            fflush(nil)
        }
        return id
    }

    /// Deposits ``DevnetAppChain/relayFunds`` from `signer`'s devnet balance to `account` on chain `id` unless it holds a
    /// tenth of that there already, and waits until the operator has credited it (at most 5 minutes).
    private func fund(_ account: Address, on id: UInt64, app: EthClient, main: EthClient, signer: PrivateKey, stop: SignalFlag) throws {
        let seconds = 300
        let deadline = Date().addingTimeInterval(Double(seconds))
        let transactor = Transactor(client: main, signer: signer)
        var sent: H256?
        // A node too busy to answer in time is asked again (`try?`), until the deadline.
        // Topped up only when nearly spent (a tenth left), so a restart does not deposit again.
        let low = DevnetAppChain.relayFunds / UInt256(10)
        while !stop.raised, (try? app.balance(of: account)).map({ $0 < low }) ?? true {
            guard Date() < deadline else { throw DevnetServiceError.appChainFailed(name: "relay's", reason: "its deposit did not arrive in \(seconds) s") }
            if let hash = sent, let receipt = try? main.receipt(hash), !receipt.succeeded {
                throw DevnetServiceError.appChainFailed(name: "relay's", reason: "its deposit \(hash) failed in block \(receipt.blockNumber)")
            }
            // Sent again only when a reorganisation dropped it from the devnet altogether.
            if (try? sent.map({ try main.transaction($0) == nil })) ?? true {
                sent = try transactor.send(to: AppChainRegistry.rootAddress(id), value: DevnetAppChain.relayFunds,
                                           data: try ABI.encodeCall("deposit(address)", [.address(account)]))
            }
            stop.wait(seconds: 0.5)
        }
    }

    /// The chain's id in the devnet's registry once registered and `confirmations` deep: found (a restart) or registered.
    private func registered(_ chain: DevnetAppChain, _ client: EthClient, genesis: URL, stop: SignalFlag) throws -> UInt64? {
        let seconds = 300
        let deadline = Date().addingTimeInterval(Double(seconds))
        let transactor = Transactor(client: client, signer: chain.operatorKey)
        let (_, header) = try AppChainCommand.genesisHeader(genesis.path)
        var sent: H256?
        while !stop.raised {
            guard Date() < deadline else { throw DevnetServiceError.childChainNotConfirmed(seconds: seconds) }
            let answer = try? client.call(.init(to: AppChainRegistry.address,
                                                data: try ABI.encodeCall("idOfChain(uint64)", [.uint(UInt256(chain.chainID))])))
            if let answer, answer.count == 32, let id = UInt256(bigEndian: answer[0..<32])?.uint64, id > 0 {
                // Deep enough that the devnet's first reorganisations cannot take the registration back.
                if let hash = sent, let receipt = try? client.receipt(hash), let head = try? client.blockNumber(),
                   head < receipt.blockNumber || head - receipt.blockNumber < Self.confirmations {
                    stop.wait(seconds: 0.5)
                    continue
                }
                return id
            }
            if let hash = sent, let receipt = try client.receipt(hash), !receipt.succeeded {
                throw DevnetServiceError.appChainFailed(name: chain.name, reason: "registration \(hash) failed in block \(receipt.blockNumber)")
            }
            if try sent.map({ try client.transaction($0) == nil }) ?? true {
                do {
                    sent = try transactor.send(to: AppChainRegistry.address, value: Self.stake, data: try ABI.encodeCall(
                        "createAppChain(uint64,string,bytes)", [.uint(UInt256(chain.chainID)), .string(chain.profile.rawValue), .bytes(header.encoded)]))
                } catch {
                    throw DevnetServiceError.appChainFailed(name: chain.name, reason: "\(error)")
                }
            }
            stop.wait(seconds: 0.5)
        }
        return nil
    }

    /// Runs `ankr <arguments>` to its end; throws its exit status.
    private func runToEnd(_ arguments: [String], for chain: DevnetAppChain) throws {
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw DevnetServiceError.appChainFailed(name: chain.name, reason: "ankr \(arguments.joined(separator: " ")) exited \(p.terminationStatus)")
        }
    }
}
