import AnkrPrimitives

/// geth's access-list tracer (`eth_createAccessList`): the accounts and storage slots a transaction's opcodes touch.
///
/// Slots come from SLOAD and SSTORE (of the running contract, excluded or not, as geth records them); accounts from
/// BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH, SELFDESTRUCT and the CALL family's target, unless in `excluding`
/// (the sender, the recipient and the precompiles, which are warm anyway).
public final class AccessListTracer: EVMTracer {
    public let excluding: Set<Address>
    private var slots: [Address: Set<UInt256>] = [:]

    public init(excluding: Set<Address>) { self.excluding = excluding }

    /// What was touched, addresses ascending and each one's slots ascending.
    public var accessList: [(Address, [UInt256])] {
        slots.keys.sorted().map { ($0, (slots[$0] ?? []).sorted()) }
    }

    public func step(_ step: TracedStep) {
        switch step.op {
        case 0x54, 0x55:
            if let slot = step.stackBack(0) { slots[step.contract, default: []].insert(slot) }
        case 0x31, 0x3b, 0x3c, 0x3f, 0xff:
            if let word = step.stackBack(0) { add(Address(word: word)) }
        case 0xf1, 0xf2, 0xf4, 0xfa:
            if step.stackCount >= 5, let word = step.stackBack(1) { add(Address(word: word)) }
        default:
            break
        }
    }

    private func add(_ address: Address) {
        guard !excluding.contains(address), slots[address] == nil else { return }
        slots[address] = []
    }

    public func enterFrame(_ frame: TracedFrame) {}
    public func stepEnded(gasCost: UInt64, error: String?) {}
    public func log(_ log: EVMLog) {}
    public func exitFrame(_ exit: TracedFrameExit) {}
}
