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

    @Option(help: "Sender address (its key in the keystore) — or use --private-key.")
    var from: String?

    @Option(name: .customLong("private-key"), help: "Sign with this hex key instead of the keystore.")
    var privateKey: String?

    @Option(help: "Recipient address.")
    var to: String

    @Option(help: "Amount: wei, or with a unit (1.5ankr, 20gwei).")
    var value: String

    @Option(help: "Call data as hex.")
    var data = "0x"

    @Flag(help: "Wait for the receipt and print its status.")
    var wait = false

    @OptionGroup var key: AccountCommand.KeyOptions
    @OptionGroup var node: RPCOption

    func run() throws {
        try reportingErrors {
            let signer: PrivateKey
            if let privateKey {
                signer = try PrivateKey(hex: privateKey)
            } else if let from {
                guard let a = try? Address(hex: from) else { throw CommandFailure("--from is not an address") }
                signer = try key.load(a, password: key.password(confirm: false))
            } else {
                throw CommandFailure("give --from (a keystore account) or --private-key")
            }
            guard let recipient = try? Address(hex: to) else { throw CommandFailure("--to is not an address") }
            let amount = try Amount.parse(value)
            let input = try Hex.decode(data)
            let rpc = try node.client()
            let chainID = try UInt256(parsing: rpc.string("eth_chainId", []))
            let nonce = try UInt256(parsing: rpc.string("eth_getTransactionCount", [signer.address.checksummed, "pending"]))
            let tip = try UInt256(parsing: rpc.string("eth_maxPriorityFeePerGas", []))
            guard let latest = try rpc.call("eth_getBlockByNumber", ["latest", false]) as? [String: Any],
                  let baseFeeText = latest["baseFeePerGas"] as? String else { throw CommandFailure("the node did not return the latest block") }
            let baseFee = try UInt256(parsing: baseFeeText)
            guard let id = chainID.uint64, let n = nonce.uint64 else { throw CommandFailure("the node returned an out-of-range chain id or nonce") }
            var tx = Transaction.dynamicFee(chainID: id, nonce: n, maxPriorityFeePerGas: tip,
                                            maxFeePerGas: baseFee &+ baseFee &+ tip, gasLimit: 0, to: recipient, value: amount, data: input)
            tx.gasLimit = IntrinsicGas.of(tx, fork: .cancun).uint64 ?? 21_000
            let hash = try rpc.string("eth_sendRawTransaction", [try tx.signed(with: signer).encoded.hexPrefixed])
            print(hash)
            guard wait else { return }
            for _ in 0..<600 {
                if let receipt = try rpc.call("eth_getTransactionReceipt", [hash]) as? [String: Any] {
                    print("status \(receipt["status"] as? String ?? "?") in block \(receipt["blockNumber"] as? String ?? "?")")
                    return
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw CommandFailure("no receipt for \(hash) after 60 s")
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
