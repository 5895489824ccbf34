import AnkrChain
import AnkrPrimitives

/// A system contract that exists only for tests: it proves the seam (dispatch, gas, storage,
/// logs, reverts), not any product feature. `increment(uint256)` adds to slot 0 and emits
/// `Incremented(address indexed by, uint256 total)`; `fail()` reverts after a storage write.
public struct CounterContract: SystemContract {
    public init() {}

    public let address = try! Address(hex: "0x00000000000000000000000000000000000affff")
    public let name = "Counter"
    public let interface = ContractInterface(
        functions: [.init("increment", [.init("by", .uint(bits: 256))], returns: [.init("total", .uint(bits: 256))]), .init("fail", [])],
        events: [.init("Incremented", [.init("by", .address, indexed: true), .init("total", .uint(bits: 256))])])
    public static let incremented = try! ABI.eventTopic("Incremented(address,uint256)")

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        let selector = Array(call.input.prefix(4))
        if selector == (try ABI.selector("increment(uint256)")) {
            guard call.gasAvailable >= 5_000 else { throw SystemCallError.outOfGas }
            guard let args = try? ABI.decode([.uint(bits: 256)], from: Array(call.input.dropFirst(4))), case .uint(let by) = args[0] else {
                throw SystemCallError.badArguments("increment takes one uint256")
            }
            let total = try state.storage(address, slot: .zero) &+ by
            try state.setStorage(address, slot: .zero, total)
            let topic = try H256([UInt8](repeating: 0, count: 12) + call.caller.bytes)
            return SystemCallResult(output: total.bigEndianBytes, gasUsed: 5_000,
                                    logs: [Log(address: address, topics: [Self.incremented, topic], data: total.bigEndianBytes)])
        }
        if selector == (try ABI.selector("fail()")) {
            try state.setStorage(address, slot: .zero, UInt256(999))
            throw SystemCallError.reverted("always fails", gasUsed: 100)
        }
        throw SystemCallError.unknownSelector(selector)
    }
}

