import AnkrChain
import AnkrCommandLine
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// Main-chain side of child chains from the command line: create one, deposit, exit a deposit,
/// finalize exits, withdraw, and look at a chain.
extension PlasmaCommand {
    static func root(_ chain: UInt64) throws -> Address {
        guard chain >= 1, chain <= ChildChainRegistry.maxChains else { throw CommandFailure("--chain must be between 1 and \(ChildChainRegistry.maxChains)") }
        return ChildChainRegistry.rootAddress(chain)
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a child chain with a stake; you become its operator.")

        @Option(help: "The stake: wei, or with a unit (1ankr).")
        var stake: Amount

        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let (hash, logs) = try call.send(to: ChildChainRegistry.address, value: stake.wei,
                                                 data: try ABI.encodeCall("createChildChain()", []))
                guard let topics = ContractCall.topics(of: "ChildChainCreated", in: logs, interface: ChildChainRegistry.interface),
                      topics.count > 1, let id = topics[1].word.uint64 else {
                    throw CommandFailure("no ChildChainCreated event in \(hash)")
                }
                print("child chain \(id) root \(ChildChainRegistry.rootAddress(id).checksummed) (\(hash))")
            }
        }
    }

    struct Deposit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deposit into a child chain: a deposit block with one output to you.")

        @Option(help: "Child chain id.") var chain: UInt64
        @Option(help: "Amount: wei, or with a unit (2ankr).") var value: Amount
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let root = try PlasmaCommand.root(chain)
                let (hash, logs) = try call.send(to: root, value: value.wei, data: try ABI.encodeCall("deposit()", []))
                guard let topics = ContractCall.topics(of: "Deposit", in: logs, interface: PlasmaRoot.interface), topics.count > 2,
                      let block = topics[2].word.uint64 else { throw CommandFailure("no Deposit event in \(hash)") }
                print("deposit block \(block), output \(block):0:0 (utxo position \(block * UTXOPosition.blockFactor)) (\(hash))")
            }
        }
    }

    struct ExitDeposit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exit-deposit",
            abstract: "Exit a deposit output straight from the main chain (no operator needed), posting the exit bond.")

        @Option(help: "Child chain id.") var chain: UInt64
        @Option(help: "The deposit block number.") var block: UInt64
        @Option(help: "The deposited amount: wei, or with a unit.") var amount: Amount
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let root = try PlasmaCommand.root(chain)
                let owner = try call.account.signer().address
                let tx = PlasmaTransaction.deposit(owner: owner, amount: amount.wei)
                let deposit = try ChildBlock(number: block, previousHeaderHash: .zero, transactions: [tx])
                let stored = try call.view(root, "getChildBlock(uint256)", [.uint(UInt256(block))], returns: [.fixedBytes(32), .fixedBytes(32), .uint(bits: 256)])
                guard stored.first?.fixedBytesValue == deposit.merkleRoot.bytes else {
                    throw CommandFailure("block \(block) of chain \(chain) is not a deposit of \(amount) to \(owner.checksummed)")
                }
                let bond = try call.view(root, "exitBond()", returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
                let position = try UTXOPosition(blockNumber: block, txIndex: 0, outputIndex: 0)
                let data = try ABI.encodeCall("startExit(uint256,bytes,bytes,bytes)",
                                              [.uint(UInt256(position.encoded)), .bytes(tx.encoded), .bytes(try deposit.tree().proof(index: 0)), .bytes([])])
                let (hash, _) = try call.send(to: root, value: bond, data: data)
                // The exit matures at max(output time + age cap, now + challenge period): ask the root when.
                let exit = try call.view(root, "getExit(uint256)", [.uint(UInt256(position.encoded))],
                                         returns: [.address, .uint(bits: 256), .uint(bits: 256), .uint(bits: 8)])
                let maturesAt = exit.count > 2 ? exit[2].uintValue?.uint64 ?? 0 : 0
                let when = Date(timeIntervalSince1970: TimeInterval(maturesAt)).formatted(.iso8601)
                print("exit of \(position) started with a bond of \(Amount.format(bond)) ANKR; finalize from \(when) (\(hash))")
            }
        }
    }

    struct Finalize: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Finalize matured exits of a child chain (anyone may).")

        @Option(help: "Child chain id.") var chain: UInt64
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                // Exits may mature between the estimate and the block: room for the most one call finalizes.
                let (hash, logs) = try call.send(to: try PlasmaCommand.root(chain), data: try ABI.encodeCall("finalizeExit()", []),
                                                 minimumGas: 100_000 + UInt64(PlasmaRoot.maxFinalizedPerCall) * 120_000)
                let topic = PlasmaRoot.interface.event(named: "ExitFinalized")?.topic
                print("\(logs.filter { $0.topics.first == topic }.count) exit(s) finalized (\(hash))")
            }
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw what finalized exits and won bonds owe you.")

        @Option(help: "Child chain id.") var chain: UInt64
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let root = try PlasmaCommand.root(chain)
                let me = try call.account.signer().address
                let owed = try call.view(root, "withdrawable(address)", [.address(me)], returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
                guard !owed.isZero else { throw CommandFailure("chain \(chain) owes \(me.checksummed) nothing yet") }
                let (hash, _) = try call.send(to: root, data: try ABI.encodeCall("withdraw()", []))
                print("withdrew \(Amount.format(owed)) ANKR (\(hash))")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A child chain as the main chain sees it: operator, stake, latest block, pending exits (amounts in wei, in decimal).")
        /// `ankr_childChain`'s quantities that are counts, numbers and times.
        static let numbers: Set<String> = ["id", "nextChildBlock", "queuedExits", "number", "timestamp", "utxoPos", "exitableAt"]
        /// Its quantities that are wei.
        static let wei: Set<String> = ["stake", "balance", "amount"]

        @Option(help: "Child chain id.") var chain: UInt64
        @OptionGroup var node: RPCOption

        func run() throws {
            try reportingErrors {
                let info = try node.client().call("ankr_childChain", [.string("0x" + String(chain, radix: 16))])
                guard case .object = info else { throw CommandFailure("no child chain \(chain)") }
                JSONOutput.print(pretty: true, info.decimalQuantities(numbers: Self.numbers, wei: Self.wei))
            }
        }
    }
}
