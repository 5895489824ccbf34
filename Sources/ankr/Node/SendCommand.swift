import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// Amounts on the command line: wei by default, or with an `ankr`/`gwei` suffix (`1.5ankr`).
enum Amount {
    static func parse(_ text: String) throws -> UInt256 {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        for (suffix, decimals) in [("ankr", 18), ("ether", 18), ("gwei", 9), ("wei", 0)] where lower.hasSuffix(suffix) {
            return try scaled(String(lower.dropLast(suffix.count)), decimals: decimals, original: text)
        }
        return try scaled(lower, decimals: 0, original: text)
    }

    static func scaled(_ number: String, decimals: Int, original: String) throws -> UInt256 {
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2 else { throw CommandFailure("cannot read amount \(original)") }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= decimals else { throw CommandFailure("amount \(original) has more than \(decimals) decimals") }
        let digits = (whole.isEmpty ? "0" : String(whole)) + fraction + String(repeating: "0", count: decimals - fraction.count)
        guard let v = try? UInt256(parsing: digits) else { throw CommandFailure("cannot read amount \(original)") }
        return v
    }

    static func format(_ wei: UInt256) -> String {
        let unit = UInt256(1_000_000_000_000_000_000)
        let (whole, frac) = wei.quotientAndRemainder(dividingBy: unit)
        var f = String(frac.description.reversed()).padding(toLength: 18, withPad: "0", startingAt: 0)
        f = String(f.reversed())
        while f.hasSuffix("0") { f.removeLast() }
        return f.isEmpty ? "\(whole)" : "\(whole).\(f)"
    }
}

struct RPCOption: ParsableArguments {
    @Option(help: "The node's JSON-RPC URL.")
    var rpc = "http://127.0.0.1:8545"

    func client() throws -> RPCClient {
        guard let url = URL(string: rpc), url.scheme == "http" || url.scheme == "https" else { throw CommandFailure("--rpc must be an http(s) URL") }
        return RPCClient(url: url)
    }
}

struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Sign and send an EIP-1559 transfer through a node's JSON-RPC.")

    @Option(help: "Recipient address.")
    var to: String

    @Option(help: "Amount: wei, or with a unit (1.5ankr, 20gwei).")
    var value: String

    @Option(help: "Call data as hex.")
    var data = "0x"

    @Flag(help: "Wait for the receipt and print its status.")
    var wait = false

    @OptionGroup var account: SignerOptions
    @OptionGroup var node: RPCOption

    func run() throws {
        try reportingErrors {
            let signer = try account.signer()
            guard let recipient = try? Address(hex: to) else { throw CommandFailure("--to is not an address") }
            let transactor = Transactor(rpc: try node.client(), signer: signer)
            let hash = try transactor.send(to: recipient, value: try Amount.parse(value), data: try Hex.decode(data))
            print(hash)
            guard wait else { return }
            let receipt = try transactor.waitForSuccess(hash, seconds: 60)
            print("status \(receipt["status"] as? String ?? "?") in block \(receipt["blockNumber"] as? String ?? "?")")
        }
    }
}

struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance", abstract: "An address's balance, from a node's JSON-RPC.")

    @Argument(help: "Address.")
    var address: String

    @Flag(help: "Print wei instead of ANKR.")
    var wei = false

    @OptionGroup var node: RPCOption

    func run() throws {
        try reportingErrors {
            guard let a = try? Address(hex: address) else { throw CommandFailure("\(address) is not an address") }
            let balance = try UInt256(parsing: node.client().string("eth_getBalance", [a.checksummed, "latest"]))
            print(wei ? balance.description : "\(Amount.format(balance)) ANKR")
        }
    }
}
