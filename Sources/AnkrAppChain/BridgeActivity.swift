import AnkrChain
import AnkrPrimitives

/// What a child block did at its bridge, as the main chain must check it: the messages from the main chain (deposits
/// among them) it applied and the count applied after it.
public struct BridgeActivity: Equatable, Sendable {
    public struct AppliedMessage: Equatable, Sendable {
        public var index: UInt64
        /// The message's record (``AppChainMessage/record``), rebuilt from its `MessageApplied` log.
        public var record: H256
        public var target: Address
        public var value: UInt256
    }

    public var deposits: [AppliedMessage]
    /// The bridge's count of applied deposits in the block's post-state.
    public var depositsApplied: UInt64
    /// The bridge's running hash of those deposits in the post-state.
    public var depositsHash: H256

    /// The activity of a block from its receipts and post-state.
    public init(receipts: [Receipt], postState: WorldState) throws {
        let topic = AppChainBridge.interface.event(named: "MessageApplied")?.topic
        var found = [AppliedMessage]()
        for receipt in receipts {
            for log in receipt.logs {
                guard log.address == AppChainBridge.address, log.topics.count == 4, log.topics[0] == topic, log.data.count == 64,
                      let index = UInt256(bigEndian: log.topics[1].bytes)?.uint64, let sender = try? Address(Array(log.topics[2].bytes.suffix(20))),
                      let target = try? Address(Array(log.topics[3].bytes.suffix(20))), let value = UInt256(bigEndian: log.data[0..<32]) else { continue }
                let record = AppChainMessage.record(sender: sender, target: target, value: value, dataHash: H256(word: UInt256(bigEndian: log.data[32..<64]) ?? .zero))
                found.append(AppliedMessage(index: index, record: record, target: target, value: value))
            }
        }
        deposits = found
        depositsApplied = try AppChainBridge.depositsApplied(state: postState)
        depositsHash = try AppChainBridge.depositsHash(state: postState)
    }

    /// Why this activity breaks the main chain's record, or nil: every applied message must be the main chain's
    /// message of that index (`record(i)`: ``AppChainMessage/record``, nil past the last one), and the count
    /// the operator committed (`claimed`) must be the post-state's, and so must the running hash of the main chain's
    /// first `claimed` deposits (`claimedHash`, which the root checked when the block was committed).
    public func violation(claimed: UInt64, claimedHash: H256, record: (UInt64) throws -> H256?) rethrows -> String? {
        guard depositsApplied == claimed else {
            return "the commitment claims \(claimed) deposits applied but the block's state has \(depositsApplied)"
        }
        guard depositsHash == claimedHash else {
            return "the block's state applied deposits other than the main chain's first \(claimed)"
        }
        for d in deposits {
            guard let r = try record(d.index), r == d.record else {
                return "message \(d.index) of \(d.value) wei to \(d.target.checksummed) was not sent on the main chain"
            }
        }
        return nil
    }
}
