import AnkrAppChain
import AnkrChain
import AnkrCommandLine
import AnkrNode
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import AnkrTrie
import ArgumentParser
import Foundation

/// `ankr appchain …`: application chains (EVM child chains) as the main chain sees them. The chain itself
/// runs as `ankr node` on a genesis with `config.ankr.consensus = "operator"`; with `--appchain.parent` the
/// operator's node commits every block to the main chain.
struct AppChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appchain", abstract: "Application chains: EVM child chains committed to and disputable on the main chain.",
        subcommands: [Create.self, Status.self, Deposit.self, Finalize.self, Watch.self, ABIJSON.self])

    /// The genesis header of the application chain in the genesis file at `path`.
    static func genesisHeader(_ path: String) throws -> (genesis: Genesis, header: BlockHeader) {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read \(path)") }
        let genesis = try Genesis(json: data)
        let spec = try ChainSpec(genesis: genesis)
        guard spec.appChainOperator != nil else { throw CommandFailure("\(path) is not an application chain's genesis (config.ankr.consensus must be \"operator\")") }
        return (genesis, try genesis.block(state: WorldState(), systemContracts: spec.systemContracts).header)
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an application chain on the main chain with a stake; the signer becomes its operator (it must be the genesis's operator).")

        @Option(help: "The application chain's genesis file (config.ankr.consensus \"operator\").") var genesis: String
        @Option(help: "real-estate, e-commerce or real-time.") var profile: String
        @Option(help: "The stake: wei, or with a unit (10ankr).") var stake: Amount
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                guard AppChainProfile(rawValue: profile) != nil else {
                    throw CommandFailure("--profile must be one of \(AppChainProfile.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let (g, header) = try AppChainCommand.genesisHeader(genesis)
                if case .operator(let op) = g.parameters.consensus, op != (try call.account.signer().address) {
                    throw CommandFailure("the genesis names \(op.checksummed) as operator; sign with that key")
                }
                let (hash, logs) = try call.send(AppChainRegistry.address, AppChainRegistry.interface, "createAppChain",
                                                 [.uint(UInt256(g.chainID)), .string(profile), .bytes(header.encoded)], value: stake.wei)
                guard let topics = ContractCall.topics(of: "AppChainCreated", in: logs, interface: AppChainRegistry.interface),
                      topics.count > 1, let id = topics[1].word.uint64 else {
                    throw CommandFailure("no AppChainCreated event in \(hash)")
                }
                JSONOutput.print(pretty: true, ["id": .int(clamping: id), "root": .string(AppChainRegistry.rootAddress(id).checksummed),
                                                "chainId": .int(clamping: g.chainID), "genesis": .string(header.hash.description),
                                                "transaction": .string(hash.description)])
            }
        }
    }

    struct Deposit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deposit ANKR from the main chain to an account on an application chain (its operator credits it there within the chain's deadline).")

        @Option(help: "The application chain's id in the registry.") var chain: UInt64
        @Option(help: "The recipient on the application chain (default: the signer).") var to: Address?
        @Option(help: "The amount: wei, or with a unit (5ankr).") var value: Amount
        @Option(name: .customLong("app-rpc"), help: "Wait until the application chain at this JSON-RPC URL has credited the deposit (at most 10 minutes).")
        var appRPC: String?
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                guard (1...AppChainRegistry.maxChains).contains(chain) else { throw CommandFailure("--chain must be 1…\(AppChainRegistry.maxChains)") }
                guard !value.wei.isZero else { throw CommandFailure("--value must be more than zero") }
                let app = try appRPC.map { text -> EthClient in
                    guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else { throw CommandFailure("--app-rpc must be an http(s) URL") }
                    return EthClient(rpc: RPCClient(url: url))
                }
                let recipient = try to ?? call.account.signer().address
                let root = AppChainRegistry.rootAddress(chain)
                if let app {
                    // Another chain's counter could already be past this deposit's index.
                    let registered = try call.view(root, AppChainRoot.interface, "chainId")[0].uintValue?.uint64 ?? 0
                    let served = try app.chainID()
                    guard registered == served else { throw CommandFailure("--app-rpc serves chain id \(served); application chain \(chain) is chain id \(registered)") }
                }
                let (hash, logs) = try call.send(root, AppChainRoot.interface, "deposit", [.address(recipient)], value: value.wei)
                guard let topics = ContractCall.topics(of: "MessageSent", in: logs, interface: AppChainRoot.interface), topics.count > 1,
                      let index = topics[1].word.uint64 else {
                    throw CommandFailure("no MessageSent event in \(hash)")
                }
                if let app {
                    // The operator applies messages in order: the deposit is credited once more than `index` are applied. An
                    // answer that fails (the node restarting) is asked again until the deadline; the deposit is made either way.
                    let deadline = Date().addingTimeInterval(600)
                    let applied = { () -> UInt64 in
                        guard let out = try? app.call(.init(to: AppChainBridge.address, data: try ABI.encodeCall("depositsApplied()", []))),
                              let count = try? ABI.decode([.uint(bits: 256)], from: out).first?.uintValue?.uint64 else { return 0 }
                        return count
                    }
                    while applied() <= index {
                        guard Date() < deadline else {
                            throw CommandFailure("deposit \(index) (transaction \(hash)) was not credited on the application chain within 10 minutes")
                        }
                        Thread.sleep(forTimeInterval: 0.5)
                    }
                }
                JSONOutput.print(["chain": .int(clamping: chain), "index": .int(clamping: index), "to": .string(recipient.checksummed),
                                  "value": .string(value.wei.description), "transaction": .string(hash.description), "credited": .bool(app != nil)])
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An application chain's record on the main chain: operator, stake, profile, latest commitment.")

        @Option(help: "The application chain's id in the registry.") var chain: UInt64
        @OptionGroup var node: RPCOption

        func run() throws {
            try reportingErrors {
                guard (1...AppChainRegistry.maxChains).contains(chain) else { throw CommandFailure("--chain must be 1…\(AppChainRegistry.maxChains)") }
                let root = AppChainRegistry.rootAddress(chain)
                let client = EthClient(rpc: try node.client())
                func view(_ name: String, _ args: [ABIValue] = []) throws -> [ABIValue] {
                    guard let f = AppChainRoot.interface.functions.first(where: { $0.name == name }) else { throw CommandFailure("no \(name)") }
                    return try ABI.decode(f.outputTypes, from: try client.call(.init(to: root, data: try ABI.encodeCall(f.signature, args))))
                }
                guard try client.code(at: root) == SystemContractRegistry.markerCode else { throw CommandFailure("no application chain \(chain)") }
                let latest = try view("latestBlock")[0].uintValue ?? .zero
                let stake = try view("stake")
                let c = try view("getCommitment", [.uint(latest)])
                JSONOutput.print(pretty: true, [
                    "id": .int(clamping: chain), "root": .string(root.checksummed),
                    "operator": .string((try view("operator")[0].addressValue ?? .zero).checksummed),
                    "chainId": .string((try view("chainId")[0]).description),
                    "profile": .string((try view("profile")[0]).description),
                    "disputeWindowSeconds": .string((try view("disputeWindow")[0]).description),
                    "stake": .string(stake[0].description), "slashed": .bool(stake[1] == .bool(true)),
                    "latestBlock": .string(latest.description), "latestHash": .string((c[0].fixedBytesValue ?? []).hexPrefixed),
                    "latestStateRoot": .string((c[1].fixedBytesValue ?? []).hexPrefixed), "latestIsFinal": .bool(c[3] == .bool(true)),
                ])
            }
        }
    }

    struct ABIJSON: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "abi",
            abstract: "Print the ABI JSON of the AppChainRegistry (registry), of an AppChainRoot (root) or of the bridge on every application chain (bridge), as shipped in abi/.")

        @Argument(help: "registry, root or bridge.") var contract: String

        func run() throws {
            try reportingErrors {
                switch contract {
                case "registry": print(AppChainRegistry.interface.json, terminator: "")
                case "root": print(AppChainRoot.interface.json, terminator: "")
                case "bridge": print(AppChainBridge.interface.json, terminator: "")
                default: throw CommandFailure("name registry, root or bridge")
                }
            }
        }
    }
}

extension AppChainCommand {
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-execute every block an application chain commits, from the commitments' own data, and dispute an invalid one with your key.")

        @Option(help: "The application chain's genesis file.") var genesis: String
        @Option(help: "The application chain's id in the registry.") var chain: UInt64
        @Option(help: "Directory where the watcher keeps the chain as committed (created on first start).") var dir: String
        @Option(help: "Seconds between rounds.") var interval: Double = 1
        @OptionGroup var call: ContractCall
        @OptionGroup var log: LogOptions

        func run() throws {
            try reportingErrors {
                guard (1...AppChainRegistry.maxChains).contains(chain) else { throw CommandFailure("--chain must be 1…\(AppChainRegistry.maxChains)") }
                guard interval > 0, interval <= 3600 else { throw CommandFailure("--interval must be between 0 and 3600 seconds") }
                let (g, _) = try AppChainCommand.genesisHeader(genesis)
                let logger = log.bootstrap(label: "ankr.appchain.watch")
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                let db = try ChainDatabase(path: (dir as NSString).appendingPathComponent("watch.sqlite"))
                guard case .operator(let op) = g.parameters.consensus else { throw CommandFailure("not an application chain's genesis") }
                let local = try Blockchain(database: db, genesis: g, sealer: AppChainWatcher.sealer, systemContracts: AppChainRules.childSystemContracts(operator: op))
                let watcher = AppChainWatcher(chain: local, operator: op, root: AppChainRegistry.rootAddress(chain), transactor: try call.transactor(),
                                              logger: logger)
                let stop = SignalFlag()
                while !stop.raised {
                    do {
                        switch try watcher.round() {
                        case .verified(let n)?: JSONOutput.print(["event": "verified", "through": .int(clamping: n)])
                        case .disputed(let n, let reason, let tx)?:
                            JSONOutput.print(["event": "disputed", "block": .int(clamping: n), "reason": .string(reason), "transaction": .string(tx.description)])
                        case nil: break
                        }
                    } catch let e as AppChainWatcherError {
                        throw CommandFailure(e.description)
                    } catch {
                        logger.warning("watching failed; retrying", metadata: ["error": "\(error)"])
                    }
                    fflush(nil)
                    stop.wait(seconds: interval)
                }
            }
        }
    }
}
