import AnkrCommandLine
import AnkrPrimitives
import ArgumentParser

struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance", abstract: "An address's balance, from a node's JSON-RPC.")

    @Argument(help: "Address.")
    var address: Address

    @Flag(help: "Print wei instead of ANKR.")
    var wei = false

    @OptionGroup var node: RPCOption

    func run() throws {
        try reportingErrors {
            let balance = try node.eth().balance(of: address)
            print(wei ? balance.description : "\(Amount.format(balance)) ANKR")
        }
    }
}
