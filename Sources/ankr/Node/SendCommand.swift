import AnkrCommandLine
import AnkrPrimitives
import AnkrRPC
import ArgumentParser

struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Sign and send an EIP-1559 transfer through a node's JSON-RPC.")

    @Option(help: "Recipient address.")
    var to: Address

    @Option(help: "Amount: wei, or with a unit (1.5ankr, 20gwei).")
    var value: Amount

    @Option(help: "Call data as hex.")
    var data = HexBytes([])

    @Flag(help: "Wait until the transfer succeeded --confirmations deep and print its block.")
    var wait = false

    @OptionGroup var account: SignerOptions
    @OptionGroup var node: RPCOption
    @OptionGroup var confirmation: ConfirmationsOption

    func run() throws {
        try reportingErrors {
            let transactor = Transactor(rpc: try node.client(), signer: try account.signer())
            let transaction = try transactor.sign(to: to, value: value.wei, data: data.bytes)
            let hash = try transactor.client.send(transaction)
            print(hash)
            // Asking for confirmations is asking to wait for them.
            guard wait || confirmation.confirmations != nil else { return }
            // A failed transfer is thrown, so a printed one always succeeded.
            let receipt = try confirmation.waitForSuccess(hash, resending: transaction.encoded, with: transactor, seconds: 60)
            print("succeeded in block \(receipt.blockNumber) (\(receipt.blockHash))")
        }
    }
}
