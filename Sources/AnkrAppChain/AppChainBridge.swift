import AnkrChain
import AnkrPrimitives

/// The one system contract of every application chain, at `0x…0a0100` there: where ANKR deposited on the
/// main chain appears and where ANKR leaves for it.
///
/// - `applyDeposits(first, recipients, amounts)`: the operator only; credits main-chain deposits `first…` in
///   order (the next must be `first`), each logged as `DepositApplied(index, recipient, amount)`. The main
///   chain checks every one against its own record in a dispute, so an operator that invents a deposit is slashed.
/// - `withdraw(to)` payable: burns the value here and records withdrawal `i` as keccak256(to ‖ amount) in slot
///   keccak256(2, i), which `finalizeWithdrawal` on the main chain proves against a final committed state root.
///
/// Storage: slot 0 deposits applied, slot 1 withdrawals recorded, keccak256(2, i) withdrawal i, slot 3 the running
/// hash of the deposits applied (h ← keccak256(h ‖ keccak256(recipient ‖ amount)), from zero), which the root keeps
/// too: a commitment whose deposits are not the main chain's — say after a main-chain reorganisation — is refused
/// there before anyone could dispute it.
public struct AppChainBridge: SystemContract {
    public static let address = try! Address(hex: "0x00000000000000000000000000000000000a0100")
    /// Deposits one `applyDeposits` may credit, so its gas stays bounded.
    public static let maxDepositsPerCall = 256

    /// Gas enough for an `applyDeposits` transaction of `count` deposits: the transaction, the call and the
    /// count's first write (21,000 + 5,000 + 20,000 + reads and framing), then per deposit its calldata (64 bytes),
    /// the credit and its log (unused gas is not charged).
    public static func applyDepositsGas(count: Int) -> UInt64 { 80_000 &+ 12_000 &* UInt64(clamping: count) }

    /// The chain's operator, the only one that may apply deposits.
    public let operatorAddress: Address
    public var address: Address { Self.address }
    public var name: String { "AppChainBridge" }
    public var interface: ContractInterface { Self.interface }

    public init(operator: Address) { operatorAddress = `operator` }

    private typealias P = ContractInterface.Parameter
    public static let interface = ContractInterface(
        functions: [
            .init("applyDeposits", [P("first", .uint(bits: 256)), P("recipients", .array(.address)), P("amounts", .array(.uint(bits: 256)))]),
            .init("withdraw", [P("to", .address)], returns: [P("index", .uint(bits: 256))], .payable),
            .init("depositsApplied", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("withdrawalCount", [], returns: [P("count", .uint(bits: 256))], .view),
            .init("withdrawalSlot", [P("index", .uint(bits: 256))], returns: [P("slot", .fixedBytes(32))], .view),
        ],
        events: [
            .init("DepositApplied", [P("index", .uint(bits: 256), indexed: true), P("recipient", .address, indexed: true), P("amount", .uint(bits: 256))]),
            .init("WithdrawalInitiated", [P("index", .uint(bits: 256), indexed: true), P("from", .address, indexed: true), P("to", .address),
                                          P("amount", .uint(bits: 256))]),
        ])

    /// The storage slot of withdrawal `index` (its value is keccak256(to ‖ amount) as a word).
    public static func withdrawalSlot(_ index: UInt64) -> UInt256 { SystemStorage.slot(UInt256(2), UInt256(index)) }

    /// What withdrawal slots hold: keccak256(to (20 bytes) ‖ amount (32 bytes)), as a word.
    public static func withdrawalRecord(to: Address, amount: UInt256) -> UInt256 {
        UInt256(bigEndian: Keccak256.hash(to.bytes + amount.bigEndianBytes)) ?? .zero
    }

    /// Deposits applied as of `state` (unmetered, for the operator and the dispute).
    public static func depositsApplied(state: WorldState) throws -> UInt64 {
        var s = SystemStorage(state: state, address: address, gasLimit: .max)
        return try s.word(.zero).uint64 ?? .max
    }

    /// The running hash of the deposits applied as of `state`.
    public static func depositsHash(state: WorldState) throws -> H256 {
        var s = SystemStorage(state: state, address: address, gasLimit: .max)
        return try s.hash(UInt256(3))
    }

    /// The running hash after one more deposit.
    public static func chainDeposit(_ hash: H256, recipient: Address, amount: UInt256) -> H256 {
        Keccak256.h256(hash.bytes + BridgeActivity.depositRecord(recipient: recipient, amount: amount).bytes)
    }

    public func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
        var storage = SystemStorage(state: state, address: address, gasLimit: call.gasAvailable)
        try storage.charge(5_000)
        let (f, args) = try Self.interface.decode(call, gasUsed: storage.gasUsed)
        func revert(_ why: String) -> SystemCallError { .reverted(why, gasUsed: storage.gasUsed) }
        var logs = [Log]()
        let out: [ABIValue]
        switch f.name {
        case "applyDeposits":
            guard call.caller == operatorAddress else { throw revert("only the operator applies deposits") }
            guard case .array(let recipients) = args[1], case .array(let amounts) = args[2], recipients.count == amounts.count,
                  recipients.count <= Self.maxDepositsPerCall else {
                throw revert("recipients and amounts must pair up, at most \(Self.maxDepositsPerCall)")
            }
            let applied = try storage.word(.zero).uint64 ?? .max
            guard applied <= UInt64.max - UInt64(Self.maxDepositsPerCall) else { throw revert("deposit count exhausted") }
            guard args[0].uintValue == UInt256(applied) else { throw revert("the next deposit to apply is \(applied), not \(args[0])") }
            var running = try storage.hash(UInt256(3))
            for (k, (r, a)) in zip(recipients, amounts).enumerated() {
                guard let to = r.addressValue, let amount = a.uintValue else { throw revert("bad deposit \(k)") }
                try storage.charge(9_000)
                running = Self.chainDeposit(running, recipient: to, amount: amount)
                // Minted here; the main chain holds the same amount in the chain's root until it is withdrawn.
                try state.addBalance(to, amount)
                logs.append(try Self.interface.log("DepositApplied", address: address, indexed: [UInt256(applied + UInt64(k)), to.word], data: [.uint(amount)]))
            }
            try storage.setWord(.zero, UInt256(applied + UInt64(recipients.count)))
            try storage.setHash(UInt256(3), running)
            out = []
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
        default:
            guard let i = args[0].uintValue?.uint64 else { throw revert("index out of range") }
            out = [.fixedBytes(Self.withdrawalSlot(i).bigEndianBytes)]
        }
        return SystemCallResult(output: try ABI.encode(out, types: f.outputTypes), gasUsed: storage.gasUsed, logs: logs)
    }
}
