import AnkrChain
import AnkrPrimitives

/// What a child block did at its bridge, as the main chain must check it: the deposits it applied and the
/// count applied after it.
public struct BridgeActivity: Equatable, Sendable {
    public struct AppliedDeposit: Equatable, Sendable {
        public var index: UInt64
        public var recipient: Address
        public var amount: UInt256
    }

    public var deposits: [AppliedDeposit]
    /// The bridge's count of applied deposits in the block's post-state.
    public var depositsApplied: UInt64
    /// The bridge's running hash of those deposits in the post-state.
    public var depositsHash: H256

    /// The activity of a block from its receipts and post-state.
    public init(receipts: [Receipt], postState: WorldState) throws {
        let topic = AppChainBridge.interface.event(named: "DepositApplied")?.topic
        var found = [AppliedDeposit]()
        for receipt in receipts {
            for log in receipt.logs {
                guard log.address == AppChainBridge.address, log.topics.count == 3, log.topics[0] == topic, log.data.count == 32,
                      let index = UInt256(bigEndian: log.topics[1].bytes)?.uint64, let recipient = try? Address(Array(log.topics[2].bytes.suffix(20))),
                      let amount = UInt256(bigEndian: log.data[0..<32]) else { continue }
                found.append(AppliedDeposit(index: index, recipient: recipient, amount: amount))
            }
        }
        deposits = found
        depositsApplied = try AppChainBridge.depositsApplied(state: postState)
        depositsHash = try AppChainBridge.depositsHash(state: postState)
    }

    /// Why this activity breaks the main chain's record, or nil: every applied deposit must be the main chain's
    /// deposit of that index (`record(i)`: keccak256(recipient ‖ amount), nil past the last deposit), and the count
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
            guard let r = try record(d.index), r == Self.depositRecord(recipient: d.recipient, amount: d.amount) else {
                return "deposit \(d.index) of \(d.amount) wei to \(d.recipient.checksummed) was not made on the main chain"
            }
        }
        return nil
    }

    /// The main chain's record of a deposit: keccak256(recipient ‖ amount).
    public static func depositRecord(recipient: Address, amount: UInt256) -> H256 {
        Keccak256.h256(recipient.bytes + amount.bigEndianBytes)
    }
}
