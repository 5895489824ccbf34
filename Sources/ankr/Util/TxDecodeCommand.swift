import AnkrChain
import AnkrPrimitives
import ArgumentParser

struct TxDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx-decode",
        abstract: "Decode a raw signed transaction (legacy, EIP-2930, EIP-1559) and recover its sender.")

    @Argument(help: "The raw transaction as hex, as eth_sendRawTransaction takes it.")
    var raw: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let tx = try Transaction(raw: Hex.decode(raw))
            let from: String
            do { from = try tx.recoverSender().checksummed } catch { from = "invalid signature: \(error)" }
            var fields: [(String, Any)] = [
                ("type", tx.type.description),
                ("chainId", tx.chainID.map { String($0) } ?? "none (pre-EIP-155)"),
                ("nonce", String(tx.nonce)),
            ]
            switch tx.type {
            case .legacy, .accessList:
                fields.append(("gasPrice", tx.gasPrice.description))
            case .dynamicFee:
                fields.append(("maxPriorityFeePerGas", tx.maxPriorityFeePerGas.description))
                fields.append(("maxFeePerGas", tx.maxFeePerGas.description))
            }
            fields += [
                ("gasLimit", String(tx.gasLimit)),
                ("to", tx.to?.checksummed ?? "contract creation"),
                ("value", tx.value.description),
                ("data", tx.data.hexPrefixed),
            ]
            if tx.type != .legacy {
                fields.append(("accessList", tx.accessList.map { ["address": $0.address.checksummed, "storageKeys": $0.storageKeys.map(\.description)] }))
            }
            fields += [
                ("v", tx.v.description), ("r", tx.r.hexQuantity), ("s", tx.s.hexQuantity),
                ("hash", tx.hash.description), ("from", from),
            ]
            if output.json {
                try JSONOutput.print(Dictionary(uniqueKeysWithValues: fields))
            } else {
                for (k, v) in fields {
                    let text: String
                    if k == "accessList" {
                        text = tx.accessList.isEmpty ? "[]" : tx.accessList.map {
                            "\($0.address.checksummed) [\($0.storageKeys.map(\.description).joined(separator: ", "))]"
                        }.joined(separator: "; ")
                    } else {
                        text = "\(v)"
                    }
                    print(k.padding(toLength: 22, withPad: " ", startingAt: 0) + text)
                }
            }
        }
    }
}
