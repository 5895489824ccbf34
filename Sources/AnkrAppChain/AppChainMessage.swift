import AnkrPrimitives

/// A message between the main chain and an application chain: from `sender` on one chain to `target` on the other,
/// carrying `value` wei of ANKR and `data`. A deposit is a message without data (from the depositor to the
/// recipient).
///
/// Messages are pulled, never pushed: delivering one credits its value to the target and, when it has data, records
/// it for the target to consume (`consumeMessage(index, sender, data)` called by the target itself, on the bridge on
/// the child chain or on the root on the main chain). No code of the target runs on delivery, so no message can make
/// its delivery fail, cost more than its bytes or halt the chain that must deliver it.
public struct AppChainMessage: Equatable, Hashable, Sendable {
    /// The most data one message carries: a block that must apply ``AppChainRoot/overdueBatch`` of them stays small.
    public static let maxDataBytes = 1_024

    public var sender: Address
    public var target: Address
    public var value: UInt256
    public var data: [UInt8]

    public init(sender: Address, target: Address, value: UInt256, data: [UInt8] = []) {
        self.sender = sender; self.target = target; self.value = value; self.data = data
    }

    /// What both chains keep of a message: keccak256(sender ‖ target ‖ value ‖ keccak256(data)).
    public var record: H256 { Self.record(sender: sender, target: target, value: value, dataHash: Keccak256.h256(data)) }

    public static func record(sender: Address, target: Address, value: UInt256, dataHash: H256) -> H256 {
        Keccak256.h256(sender.bytes + target.bytes + value.bigEndianBytes + dataHash.bytes)
    }

    /// What a delivered message with data is kept as until its target consumes it: keccak256(sender ‖ target ‖
    /// keccak256(data)) (the value was paid on delivery).
    public static func pending(sender: Address, target: Address, data: [UInt8]) -> H256 {
        Keccak256.h256(sender.bytes + target.bytes + Keccak256.hash(data))
    }

    /// The marker a consumed message (or a delivered one without data) leaves in its slot.
    static let consumed = UInt256.one
}
