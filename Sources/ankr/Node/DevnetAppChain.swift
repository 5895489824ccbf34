import AnkrAppChain
import AnkrCrypto
import AnkrNode
import AnkrPrimitives
import AnkrRPC
import Foundation

/// `ankr devnet --with appchain`: an e-commerce application chain (chain id 4242) whose operator is the devnet's fourth
/// funded key — its genesis written once under `<dir>/appchain`, registered on the devnet once, and its operator's node
/// started on `--appchain.port`, committing every block to the devnet and relaying deposits and messages.
extension DevnetServices {
    static var appChainOperatorKey: PrivateKey { DevnetCommand.keys.dropFirst(3).first ?? DevGenesis.key }
    static let appChainID: UInt64 = 4242
    static let appChainProfile = AppChainProfile.eCommerce

    /// The application chain's genesis file, written on first start (its header is what the main chain registers).
    func appChainGenesis() throws -> URL {
        let dir = root.appendingPathComponent("appchain")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("genesis.json")
        guard !FileManager.default.fileExists(atPath: file.path) else { return file }
        let op = Self.appChainOperatorKey.address.checksummed
        let json = """
        {
          "config": { "chainId": \(Self.appChainID), "ankr": { "consensus": "operator", "operator": "\(op)", "blockReward": "0x0" } },
          "coinbase": "\(op)", "gasLimit": "0x\(String(Self.appChainProfile.maxBlockGasLimit, radix: 16))", "baseFeePerGas": "0x0",
          "difficulty": "0x1", "timestamp": "0x\(String(UInt64(Date().timeIntervalSince1970), radix: 16))", "alloc": {}
        }

        """
        try Data(json.utf8).write(to: file)
        return file
    }

    /// Starts the application chain's operator node; returns its id on the devnet, or nil when stopped first.
    func startAppChain(_ client: EthClient, options: DevnetServiceOptions, stop: SignalFlag) throws -> UInt64? {
        let genesis = try appChainGenesis()
        let dir = root.appendingPathComponent("appchain")
        let datadir = dir.appendingPathComponent("node")
        if !FileManager.default.fileExists(atPath: datadir.appendingPathComponent("genesis.json").path) {
            try runToEnd(["init", "--genesis", genesis.path, "--datadir", datadir.path])
        }
        guard let id = try registeredAppChain(client, genesis: genesis, stop: stop) else { return nil }
        let key = dir.appendingPathComponent("operator.key")
        try DataDirectory.writeKey(Self.appChainOperatorKey, to: key)
        let port = options.appChainPort == 0 ? try FreePort.pick() : options.appChainPort
        let log = try spawn("appchain", log: dir.appendingPathComponent("node.log"), arguments: [
            "node", "--datadir", datadir.path, "--no-p2p", "--http.port", String(port), "--operator.key", key.path,
            "--appchain.parent", node, "--appchain.id", String(id),
            "--miner.coinbase", Self.appChainOperatorKey.address.checksummed,
        ])
        // Announced once it answers, so whoever reads the line can use it at once.
        guard let url = URL(string: "http://127.0.0.1:\(port)") else { throw DevnetServiceError.invalidNodeURL("port \(port)") }
        try waitForNode(EthClient(url: url, timeout: 2), stop: stop)
        print("appchain chain \(id) (chain id \(Self.appChainID), \(Self.appChainProfile.rawValue)) root \(AppChainRegistry.rootAddress(id).checksummed)  "
              + "rpc http://127.0.0.1:\(port)  log \(log)")
        fflush(nil)
        return id
    }

    /// The chain's id in the devnet's registry once registered and `confirmations` deep: found (a restart) or registered.
    private func registeredAppChain(_ client: EthClient, genesis: URL, stop: SignalFlag) throws -> UInt64? {
        let seconds = 300
        let deadline = Date().addingTimeInterval(Double(seconds))
        let transactor = Transactor(client: client, signer: Self.appChainOperatorKey)
        let (_, header) = try AppChainCommand.genesisHeader(genesis.path)
        var sent: H256?
        while !stop.raised {
            guard Date() < deadline else { throw DevnetServiceError.childChainNotConfirmed(seconds: seconds) }
            let answer = try? client.call(.init(to: AppChainRegistry.address,
                                                data: try ABI.encodeCall("idOfChain(uint64)", [.uint(UInt256(Self.appChainID))])))
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
                throw DevnetServiceError.childChainCreationFailed("transaction \(hash) failed in block \(receipt.blockNumber)")
            }
            if try sent.map({ try client.transaction($0) == nil }) ?? true {
                do {
                    sent = try transactor.send(to: AppChainRegistry.address, value: Self.stake, data: try ABI.encodeCall(
                        "createAppChain(uint64,string,bytes)", [.uint(UInt256(Self.appChainID)), .string(Self.appChainProfile.rawValue), .bytes(header.encoded)]))
                } catch {
                    throw DevnetServiceError.childChainCreationFailed("\(error)")
                }
            }
            stop.wait(seconds: 0.5)
        }
        return nil
    }

    /// Runs `ankr <arguments>` to its end; throws its exit status.
    private func runToEnd(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw DevnetServiceError.childChainCreationFailed("ankr \(arguments.joined(separator: " ")) exited \(p.terminationStatus)") }
    }
}
