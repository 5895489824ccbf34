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

    @Flag(help: "Wait for the receipt and print its status.")
    var wait = false

    @OptionGroup var account: SignerOptions
    @OptionGroup var node: RPCOption

    func run() throws {
        try reportingErrors {
            let transactor = Transactor(rpc: try node.client(), signer: try account.signer())
            let hash = try transactor.send(to: to, value: value.wei, data: data.bytes)
            print(hash)
            guard wait else { return }
            // waitForSuccess refuses a failed transaction, so the status printed is always 0x1.
            let receipt = try transactor.waitForSuccess(hash, seconds: 60)
            print("status \(receipt.succeeded ? "0x1" : "0x0") in block 0x\(String(receipt.blockNumber, radix: 16))")
        }
    }
}
