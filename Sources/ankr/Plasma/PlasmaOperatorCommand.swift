import AnkrCommandLine
import AnkrCrypto
import AnkrNode
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation
import Logging

extension PlasmaCommand {
    /// `ankr plasma operator`: runs one child chain as its own process.
    struct Operator: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "operator",
            abstract: "Run a child chain's operator: plasma_ JSON-RPC, blocks from its pool, deposits included, roots submitted to the main chain.")

        @Option(help: "Child chain id (you must be its operator).") var chain: UInt64
        @Option(name: .customLong("http.addr"), help: "Operator JSON-RPC listen address.") var httpAddr = "127.0.0.1"
        @Option(name: .customLong("http.port"), help: "Operator JSON-RPC port (0 picks a free one).") var httpPort = 8600
        @Option(name: .customLong("block-interval"), help: "Seconds between blocks while transactions are pending.") var blockInterval = 2.0
        @Option(name: .customLong("block-size"), help: "Build a block as soon as this many transactions are pending.") var blockSize = ChildBlock.maxTransactions
        @Option(name: .customLong("deposit-confirmations"),
                help: "Take a main-chain deposit only once its block is this many blocks under the head (0: at the head, for a `node --dev` chain that seals only on transactions).")
        var depositConfirmations: UInt64 = OperatorService.defaultDepositConfirmations
        @OptionGroup var log: LogOptions
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                guard blockInterval > 0, blockSize > 0 else { throw CommandFailure("--block-interval and --block-size must be positive") }
                let logger = log.bootstrap(label: "ankr.plasma.operator")
                _ = try PlasmaCommand.root(chain)
                let signer = try call.account.signer()
                let root = RootContractClient(rpc: try call.node.client(), chain: chain, transactor: Transactor(rpc: try call.node.client(), signer: signer))
                let onChainOperator: Address?
                do { onChainOperator = try root.view("operator").first?.addressValue } catch { throw CommandFailure("cannot read child chain \(chain): \(error)") }
                guard let onChainOperator, onChainOperator != .zero else { throw CommandFailure("child chain \(chain) does not exist") }
                guard onChainOperator == signer.address else {
                    throw CommandFailure("\(signer.address.checksummed) is not the operator of child chain \(chain) (\(onChainOperator.checksummed) is)")
                }
                let dir = DataDirectory(call.account.key.datadir).plasmaDirectory
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let store = try ChildChainStore(path: dir.appendingPathComponent("operator-\(chain).sqlite").path)
                let chainOperator = try PlasmaOperator(store: store)
                let table = RPCMethodTable()
                OperatorNamespace(operator: chainOperator, chain: chain).register(in: table)
                var config = RPCServer.Configuration()
                config.host = httpAddr
                config.port = httpPort
                let server = try RPCServer(configuration: config, table: table)
                print("operator of child chain \(chain) listening on http://\(httpAddr):\(server.port)")
                fflush(nil)
                let service = OperatorService(operator: chainOperator, root: root, blockInterval: blockInterval, blockSize: blockSize, logger: logger,
                                             depositConfirmations: depositConfirmations)
                let loop = Thread {
                    var retries = RetryLog(logger: logger, what: "main chain round")
                    while true {
                        do {
                            try service.tick()
                            retries.succeeded()
                        } catch let fatal as OperatorService.Fatal {
                            FileHandleStderr.write("ankr: error: \(fatal)\n")
                            Foundation.exit(1)
                        } catch {
                            retries.failed(error)
                            Thread.sleep(forTimeInterval: 1)
                        }
                        Thread.sleep(forTimeInterval: 0.1)
                    }
                }
                loop.start()
                SignalWaiter.waitForTermination()
                server.shutdown()
            }
        }
    }
}
