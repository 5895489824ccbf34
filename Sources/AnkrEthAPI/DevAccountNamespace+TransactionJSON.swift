import AnkrChain
import AnkrPrimitives
import AnkrRPC

extension DevAccountNamespace {
    /// `{raw, tx}` of `eth_signTransaction` and `eth_fillTransaction` (geth's `SignTransactionResult`): the
    /// transaction's canonical encoding and its JSON. For an unsigned transaction v, r and s are zero, as geth
    /// returns a filled one.
    static func result(_ transaction: Transaction) -> JSON {
        ["raw": RPCFormat.data(transaction.encoded), "tx": transactionJSON(transaction)]
    }

    /// A transaction outside any block, as geth marshals one: type, nonce, to (null for a creation), gas, value,
    /// input, the type's fee fields, chain id (typed, or a legacy transaction signed with EIP-155), access
    /// list, v, r, s, yParity (typed) and hash. Two departures, both for the execution-apis schema: no member
    /// is `null` except `to` (geth writes the other type's fee fields as null), and an EIP-1559 transaction
    /// carries `gasPrice` equal to its fee cap, as the schema asks of a transaction not yet in a block.
    static func transactionJSON(_ tx: Transaction) -> JSON {
        var o: [String: JSON] = [
            "type": RPCFormat.q(UInt64(tx.type.rawValue)), "nonce": RPCFormat.q(tx.nonce), "to": .optional(tx.to?.checksummed),
            "gas": RPCFormat.q(tx.gasLimit), "value": RPCFormat.q(tx.value), "input": RPCFormat.data(tx.data),
            "v": RPCFormat.q(tx.v), "r": RPCFormat.q(tx.r), "s": RPCFormat.q(tx.s), "hash": .string(tx.hash.description),
        ]
        switch tx.type {
        case .legacy:
            o["gasPrice"] = RPCFormat.q(tx.gasPrice)
            // geth shows a legacy chain id only when the signature commits to it (an unsigned one does not).
            if let id = tx.chainID, !tx.v.isZero { o["chainId"] = RPCFormat.q(id) }
        case .accessList, .dynamicFee:
            if tx.type == .accessList {
                o["gasPrice"] = RPCFormat.q(tx.gasPrice)
            } else {
                o["maxFeePerGas"] = RPCFormat.q(tx.maxFeePerGas)
                o["maxPriorityFeePerGas"] = RPCFormat.q(tx.maxPriorityFeePerGas)
                o["gasPrice"] = RPCFormat.q(tx.maxFeePerGas)
            }
            o["chainId"] = RPCFormat.q(tx.chainID ?? 0)
            o["accessList"] = .array(tx.accessList.map {
                ["address": .string($0.address.checksummed), "storageKeys": .array($0.storageKeys.map { .string($0.description) })]
            })
            o["yParity"] = RPCFormat.q(tx.v)
        }
        return .object(o)
    }
}
