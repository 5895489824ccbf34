import AnkrChain
import AnkrPrimitives

/// The one system contract of every application chain, at `0x…0a0100` there: where ANKR and messages from the main
/// chain arrive and where ANKR and messages leave for it.
///
/// - `applyMessages(first, senders, targets, values, data)`: the operator only; delivers the main chain's messages
///   `first…` in order (the next must be `first`; a deposit is a message without data): each value is credited to its
///   target, each message with data is kept for its target to consume, each is logged as `MessageApplied`. The main
///   chain checks every one against its own record in a dispute, so an operator that invents one is slashed.
/// - `consumeMessage(index, sender, data)`: called by a delivered message's target itself, once: succeeds only if
///   message `index` came from `sender` on the main chain to the caller with `data` (a contract checks `sender` and acts).
/// - `sendMessage(target, data)` payable: a message to `target` on the main chain; the value is burnt here and paid to
///   the target there once the block holding this is final and someone proves it (`finalizeMessage` on the root).
/// - `withdraw(to)` payable: burns the value here and records withdrawal `i` as keccak256(to ‖ amount) in slot
///   keccak256(2, i), which `finalizeWithdrawal` on the main chain proves against a final committed state root.
///
/// Storage: slot 0 messages from the main chain applied, slot 1 withdrawals recorded, keccak256(2, i) withdrawal i,
/// slot 3 the running hash of the messages applied (h ← keccak256(h ‖ record), from zero, with
/// ``AppChainMessage/record``), which the root keeps too: a commitment whose messages are not the main chain's — say
/// after a main-chain reorganisation — is refused there before anyone could dispute it; keccak256(4, i) message i
/// from the main chain while its target has not consumed it (``AppChainMessage/pending(sender:target:data:)``, then 1);
/// keccak256(5, i) message i to the main chain (its record); slot 6 messages to the main chain sent.
public struct AppChainBridge: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0100")
    /// Messages one `applyMessages` may deliver, so its gas stays bounded.
    public static let maxMessagesPerCall = 256

    /// Gas enough for an `applyMessages` transaction delivering messages whose data are `dataSizes` bytes long: the
    /// transaction, the call and the count's first write (21,000 + 5,000 + 20,000 + reads and framing), then per message
    /// its calldata (five words), the credit and its log, and for one with data its bytes (16 gas each as calldata, 6 a
    /// word hashed) and the slot that keeps it (unused gas is not charged).
    public static func applyMessagesGas(dataSizes: [Int]) -> UInt64 {
        dataSizes.reduce(UInt64(80_000)) { gas, size in
            let padded = UInt64(clamping: size) / 32 &* 32 &+ 32
            return gas &+ 14_000 &+ (size == 0 ? 0 : 24_000 &+ 17 &* padded)
        }
    }

    /// The chain's operator, the only one that may apply messages.
    public let operatorAddress: Address
    public var address: Address { Self.address }
    public var name: String { "AppChainBridge" }
    public var interface: ContractInterface { Self.interface }

    public init(operator: Address) { operatorAddress = `operator` }

    private typealias P = ContractInterface.Parameter
    public static let interface = ContractInterface(
        functions: [
            .init("applyMessages", [P("first", .uint(bits: 256)), P("senders", .array(.address)), P("targets", .array(.address)),
                                    P("values", .array(.uint(bits: 256))), P("data", .array(.bytes))]),
            .init("consumeMessage", [P("index", .uint(bits: 256)), P("sender", .address), P("data", .bytes)]),
            .init("sendMessage", [P("target", .address), P("data", .bytes)], returns: [P("index", .uint(bits: 256))], .payable),
            .init("withdraw", [P("to", .address)], returns: [P("index", .uint(bits: 256))], .payable),
            .init("depositsApplied", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("messagePending", [P("index", .uint(bits: 256))], returns: [P("pending", .bool)], .view),
            .init("withdrawalCount", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("withdrawalSlot", [P("index", .uint(bits: 256))], returns: [P("slot", .fixedBytes(32))], .view),
            .init("messageCount", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("messageSlot", [P("index", .uint(bits: 256))], returns: [P("slot", .fixedBytes(32))], .view),
        ],
        events: [
            .init("MessageApplied", [P("index", .uint(bits: 256), indexed: true), P("sender", .address, indexed: true), P("target", .address, indexed: true),
                                     P("value", .uint(bits: 256)), P("dataHash", .fixedBytes(32))]),
            .init("MessageConsumed", [P("index", .uint(bits: 256), indexed: true), P("target", .address, indexed: true)]),
            .init("MessageSent", [P("index", .uint(bits: 256), indexed: true), P("sender", .address, indexed: true), P("target", .address, indexed: true),
                                  P("value", .uint(bits: 256)), P("data", .bytes)]),
            .init("WithdrawalInitiated", [P("index", .uint(bits: 256), indexed: true), P("from", .address, indexed: true), P("to", .address),
                                          P("amount", .uint(bits: 256))]),
        ])

    /// The calldata of an `applyMessages` transaction delivering `messages` from index `first`.
    public static func applyMessagesCall(first: UInt64, _ messages: [AppChainMessage]) throws -> [UInt8] {
        try ABI.encodeCall("applyMessages(uint256,address[],address[],uint256[],bytes[])",
                           [.uint(UInt256(first)), .array(messages.map { .address($0.sender) }), .array(messages.map { .address($0.target) }),
                            .array(messages.map { .uint($0.value) }), .array(messages.map { .bytes($0.data) })])
    }

    /// The storage slot of message `index` to the main chain (its value is the message's record as a word).
    public static func messageSlot(_ index: UInt64) -> UInt256 { SystemStorage.slot(UInt256(5), UInt256(index)) }

    /// The storage slot of withdrawal `index` (its value is keccak256(to ‖ amount) as a word).
    public static func withdrawalSlot(_ index: UInt64) -> UInt256 { SystemStorage.slot(UInt256(2), UInt256(index)) }

    /// What withdrawal slots hold: keccak256(to (20 bytes) ‖ amount (32 bytes)), as a word.
    public static func withdrawalRecord(to: Address, amount: UInt256) -> UInt256 {
        UInt256(bigEndian: Keccak256.hash(to.bytes + amount.bigEndianBytes)) ?? .zero
    }

    /// Messages from the main chain (deposits among them) applied as of `state` (unmetered, for the operator and the dispute).
    public static func depositsApplied(state: WorldState) throws -> UInt64 {
        var s = SystemStorage(state: state, address: address, gasLimit: .max)
        return try s.word(.zero).uint64 ?? .max
    }

    /// The running hash of the messages from the main chain applied as of `state`.
    public static func depositsHash(state: WorldState) throws -> H256 {
        var s = SystemStorage(state: state, address: address, gasLimit: .max)
        return try s.hash(UInt256(3))
    }

    /// The running hash after one more message from the main chain.
    public static func chainMessage(_ hash: H256, record: H256) -> H256 { Keccak256.h256(hash.bytes + record.bytes) }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        var storage = SystemStorage(state: state, address: address, gasLimit: call.gasAvailable)
        try storage.charge(5_000)
        let (f, args) = try Self.interface.decode(call, gasUsed: storage.gasUsed)
        func revert(_ why: String) -> SystemCallError { .reverted(why, gasUsed: storage.gasUsed) }
        var logs = [Log]()
        let out: [ABIValue]
        switch f.name {
        case "applyMessages":
            guard call.caller == operatorAddress else { throw revert("only the operator applies messages from the main chain") }
            guard case .array(let senders) = args[1], case .array(let targets) = args[2], case .array(let values) = args[3],
                  case .array(let data) = args[4], senders.count == targets.count, senders.count == values.count, senders.count == data.count,
                  senders.count <= Self.maxMessagesPerCall else {
                throw revert("senders, targets, values and data must pair up, at most \(Self.maxMessagesPerCall)")
            }
            let applied = try storage.word(.zero).uint64 ?? .max
            guard applied <= UInt64.max - UInt64(Self.maxMessagesPerCall) else { throw revert("message count exhausted") }
            guard args[0].uintValue == UInt256(applied) else { throw revert("the next message to apply is \(applied), not \(args[0])") }
            var running = try storage.hash(UInt256(3))
            for k in 0..<senders.count {
                guard let sender = senders[k].addressValue, let target = targets[k].addressValue, let value = values[k].uintValue,
                      let bytes = data[k].bytesValue, bytes.count <= AppChainMessage.maxDataBytes else { throw revert("bad message \(k)") }
                let index = applied + UInt64(k)
                // Credit and log, then hashing the data (6 gas a word) and keeping it for the target when there is any.
                try storage.charge(9_000 &+ 6 &* (UInt64(bytes.count) / 32 &+ 1))
                let message = AppChainMessage(sender: sender, target: target, value: value, data: bytes)
                let dataHash = Keccak256.h256(bytes)
                running = Self.chainMessage(running, record: AppChainMessage.record(sender: sender, target: target, value: value, dataHash: dataHash))
                // Minted here; the main chain holds the same amount in the chain's root until it leaves again.
                if !value.isZero { try state.addBalance(target, value) }
                if !bytes.isEmpty {
                    try storage.setHash(SystemStorage.slot(UInt256(4), UInt256(index)),
                                        AppChainMessage.pending(sender: message.sender, target: message.target, data: message.data))
                }
                logs.append(try Self.interface.log("MessageApplied", address: address, indexed: [UInt256(index), sender.word, target.word],
                                                   data: [.uint(value), .fixedBytes(dataHash.bytes)]))
            }
            try storage.setWord(.zero, UInt256(applied + UInt64(senders.count)))
            try storage.setHash(UInt256(3), running)
            out = []
        case "consumeMessage":
            guard let index = args[0].uintValue?.uint64, let sender = args[1].addressValue, let data = args[2].bytesValue else {
                throw revert("no such message \(args[0])")
            }
            try storage.charge(6 &* (UInt64(data.count) / 32 &+ 1))
            if let refused = try consume(&storage, slot: SystemStorage.slot(UInt256(4), UInt256(index)), index: index, sender: sender,
                                         target: call.caller, data: data) {
                throw revert(refused)
            }
            logs.append(try Self.interface.log("MessageConsumed", address: address, indexed: [UInt256(index), call.caller.word], data: []))
            out = []
        case "sendMessage":
            guard let target = args[0].addressValue, let data = args[1].bytesValue, data.count <= AppChainMessage.maxDataBytes else {
                throw revert("a message carries at most \(AppChainMessage.maxDataBytes) bytes of data")
            }
            try storage.charge(6 &* (UInt64(data.count) / 32 &+ 1))
            let index = try storage.word(UInt256(6)).uint64 ?? .max
            guard index < .max else { throw revert("message count exhausted") }
            // The value is burnt here; the root pays it to the target on the main chain once this block is final.
            if !call.value.isZero { try state.subtractBalance(address, call.value) }
            let message = AppChainMessage(sender: call.caller, target: target, value: call.value, data: data)
            try storage.setHash(Self.messageSlot(index), message.record)
            try storage.setWord(UInt256(6), UInt256(index + 1))
            logs.append(try Self.interface.log("MessageSent", address: address, indexed: [UInt256(index), call.caller.word, target.word],
                                               data: [.uint(call.value), .bytes(data)]))
            out = [.uint(UInt256(index))]
        case "withdraw":
            guard !call.value.isZero, let to = args[0].addressValue else { throw revert("a withdrawal needs a value and a main-chain recipient") }
            let index = try storage.word(.one).uint64 ?? .max
            guard index < .max else { throw revert("withdrawal count exhausted") }
            // Burnt here; paid out of the root on the main chain once the block holding this is final.
            try state.subtractBalance(address, call.value)
            try storage.setWord(Self.withdrawalSlot(index), Self.withdrawalRecord(to: to, amount: call.value))
            try storage.setWord(.one, UInt256(index + 1))
            logs.append(try Self.interface.log("WithdrawalInitiated", address: address, indexed: [UInt256(index), call.caller.word],
                                               data: [.address(to), .uint(call.value)]))
            out = [.uint(UInt256(index))]
        case "depositsApplied": out = [.uint(try storage.word(.zero))]
        case "withdrawalCount": out = [.uint(try storage.word(.one))]
        case "messageCount": out = [.uint(try storage.word(UInt256(6)))]
        case "messagePending":
            let word = try args[0].uintValue.map { try storage.word(SystemStorage.slot(UInt256(4), $0)) } ?? .zero
            out = [.bool(!word.isZero && word != AppChainMessage.consumed)]
        default:
            guard let i = args[0].uintValue?.uint64 else { throw revert("index out of range") }
            out = [.fixedBytes((f.name == "messageSlot" ? Self.messageSlot(i) : Self.withdrawalSlot(i)).bigEndianBytes)]
        }
        return SystemCallResult(output: try ABI.encode(out, types: f.outputTypes), gasUsed: storage.gasUsed, logs: logs)
    }
}

/// Consumes the delivered message kept in `slot` (on the bridge for messages from the main chain, on the root for
/// messages from the child chain): it must be message `index` from `sender` to `target` (the caller) with `data`, and
/// not consumed yet; afterwards it is. A message without data has nothing to consume. Returns why it refuses, or nil.
func consume(_ storage: inout SystemStorage, slot: UInt256, index: UInt64, sender: Address, target: Address, data: [UInt8]) throws -> String? {
    let kept = try storage.word(slot)
    guard !kept.isZero, kept != AppChainMessage.consumed else { return "message \(index) is not waiting to be consumed" }
    guard H256(word: kept) == AppChainMessage.pending(sender: sender, target: target, data: data) else {
        return "message \(index) is not from \(sender.checksummed) to \(target.checksummed) with that data"
    }
    try storage.setWord(slot, AppChainMessage.consumed)
    return nil
}
