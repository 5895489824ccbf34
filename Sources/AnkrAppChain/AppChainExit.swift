import AnkrChain
import AnkrPrimitives
import AnkrRPC
import AnkrTrie

/// ANKR or a message leaving an application chain: a withdrawal or a message to the main chain that the bridge
/// recorded, and the root's call that proves it there once its block is final.
public struct AppChainExit: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case withdrawal(to: Address, amount: UInt256)
        case message(AppChainMessage)
    }

    /// The withdrawal's or the message's index at the bridge (each kind counts its own).
    public var index: UInt64
    public var kind: Kind

    public init(index: UInt64, kind: Kind) { self.index = index; self.kind = kind }

    /// The bridge's storage slot that records it.
    public var slot: UInt256 {
        switch kind {
        case .withdrawal: return AppChainBridge.withdrawalSlot(index)
        case .message: return AppChainBridge.messageSlot(index)
        }
    }

    /// What that slot holds once it is recorded.
    public var record: UInt256 {
        switch kind {
        case .withdrawal(let to, let amount): return AppChainBridge.withdrawalRecord(to: to, amount: amount)
        case .message(let m): return UInt256(bigEndian: m.record.bytes) ?? .zero
        }
    }

    /// The exits a transaction's logs record (`WithdrawalInitiated` and `MessageSent` of the bridge; anything else,
    /// or a log that does not decode, is not one).
    public static func exits(in logs: [EthClient.Log]) -> [AppChainExit] {
        let withdrawn = AppChainBridge.interface.event(named: "WithdrawalInitiated")?.topic
        let sent = AppChainBridge.interface.event(named: "MessageSent")?.topic
        return logs.compactMap { log in
            guard log.address == AppChainBridge.address, log.topics.count >= 3, let index = UInt256(bigEndian: log.topics[1].bytes)?.uint64,
                  let from = try? Address(Array(log.topics[2].bytes.suffix(20))) else { return nil }
            if log.topics[0] == withdrawn, log.topics.count == 3, let fields = try? ABI.decode([.address, .uint(bits: 256)], from: log.data),
               let to = fields[0].addressValue, let amount = fields[1].uintValue {
                return AppChainExit(index: index, kind: .withdrawal(to: to, amount: amount))
            }
            if log.topics[0] == sent, log.topics.count == 4, let target = try? Address(Array(log.topics[3].bytes.suffix(20))),
               let fields = try? ABI.decode([.uint(bits: 256), .bytes], from: log.data), let value = fields[0].uintValue,
               let data = fields[1].bytesValue, data.count <= AppChainMessage.maxDataBytes {
                return AppChainExit(index: index, kind: .message(AppChainMessage(sender: from, target: target, value: value, data: data)))
            }
            return nil
        }
    }

    /// Whether `proof` (an `eth_getProof` answer for the bridge and this exit's slot) shows this exit recorded in the
    /// state with root `stateRoot`. Checked before sending, so a lying or lagging node costs no main-chain gas.
    public func isProven(by proof: EthClient.Proof, stateRoot: H256) -> Bool {
        guard proof.storageProofs.count == 1,
              let accountRLP = try? SecureMerklePatriciaTrie.verifyProof(root: stateRoot, key: AppChainBridge.address.bytes, proof: proof.accountProof),
              let bridge = try? Account(encoded: accountRLP),
              let value = try? SecureMerklePatriciaTrie.verifyProof(root: bridge.storageRoot, key: slot.bigEndianBytes, proof: proof.storageProofs[0]),
              let word = try? RLP.decode(value).uint256Value() else { return false }
        return word == record
    }

    /// The root's `finalizeWithdrawal` or `finalizeMessage` calldata for this exit in committed block `number`.
    public func finalizeCall(number: UInt64, proof: EthClient.Proof) throws -> [UInt8] {
        let account = ABIValue.array(proof.accountProof.map { .bytes($0) })
        let storage = ABIValue.array((proof.storageProofs.first ?? []).map { .bytes($0) })
        switch kind {
        case .withdrawal(let to, let amount):
            return try ABI.encodeCall("finalizeWithdrawal(uint256,uint256,address,uint256,bytes[],bytes[])",
                                      [.uint(UInt256(number)), .uint(UInt256(index)), .address(to), .uint(amount), account, storage])
        case .message(let m):
            return try ABI.encodeCall("finalizeMessage(uint256,uint256,address,address,uint256,bytes,bytes[],bytes[])",
                                      [.uint(UInt256(number)), .uint(UInt256(index)), .address(m.sender), .address(m.target), .uint(m.value),
                                       .bytes(m.data), account, storage])
        }
    }
}
