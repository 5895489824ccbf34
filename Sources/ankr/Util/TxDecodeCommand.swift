import AnkrChain
import AnkrCommandLine
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
            var fields: [(String, JSON)] = [
                ("type", .string(tx.type.description)),
                ("chainId", .string(tx.chainID.map { String($0) } ?? "none (pre-EIP-155)")),
                ("nonce", .string(String(tx.nonce))),
            ]
            switch tx.type {
            case .legacy, .accessList:
                fields.append(("gasPrice", .string(tx.gasPrice.description)))
            case .dynamicFee:
                fields.append(("maxPriorityFeePerGas", .string(tx.maxPriorityFeePerGas.description)))
                fields.append(("maxFeePerGas", .string(tx.maxFeePerGas.description)))
            }
            fields += [
                ("gasLimit", .string(String(tx.gasLimit))),
                ("to", .string(tx.to?.checksummed ?? "contract creation")),
                ("value", .string(tx.value.description)),
                ("data", .string(tx.data.hexPrefixed)),
            ]
            if tx.type != .legacy {
                fields.append(("accessList", .array(tx.accessList.map {
                    ["address": .string($0.address.checksummed), "storageKeys": .array($0.storageKeys.map { .string($0.description) })]
                })))
            }
            fields += [
                ("v", .string(tx.v.description)), ("r", .string(tx.r.hexQuantity)), ("s", .string(tx.s.hexQuantity)),
                ("hash", .string(tx.hash.description)), ("from", .string(from)),
            ]
            if output.json {
                JSONOutput.print(.object(Dictionary(uniqueKeysWithValues: fields)))
            } else {
                for (k, v) in fields {
                    let text: String
                    if k == "accessList" {
                        text = tx.accessList.isEmpty ? "[]" : tx.accessList.map {
                            "\($0.address.checksummed) [\($0.storageKeys.map(\.description).joined(separator: ", "))]"
                        }.joined(separator: "; ")
                    } else {
                        text = v.string ?? v.text
                    }
                    print(k.padding(toLength: 22, withPad: " ", startingAt: 0) + text)
                }
            }
        }
    }
}
