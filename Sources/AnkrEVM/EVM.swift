import AnkrCrypto
import AnkrPrimitives

/// A Cancun EVM over an ``EVMState``: call and creation frames, the gas schedule with EIP-2929
/// warm/cold access, EIP-2200/3529 SSTORE pricing and refunds, EIP-3860 initcode limits, EIP-1153
/// transient storage, EIP-5656 MCOPY, EIP-6780 SELFDESTRUCT, and the precompiles in ``Precompiles``.
///
/// One `EVM` runs one transaction: it holds the transaction-wide sets (warm accounts and slots,
/// transient storage, logs, the refund counter, accounts created in it, touched accounts).
public final class EVM {
    public let state: EVMState
    public let block: BlockEnvironment
    public let tx: TransactionEnvironment
    /// Native (system) contracts, run instead of their accounts' code.
    public let native: NativeContracts?
    public let schedule: GasSchedule

    public static let maxCallDepth = 1024
    public static let maxCodeSize = 24_576
    public static let maxInitcodeSize = 2 * maxCodeSize
    /// The failure a frame ends with when the deadline passes.
    public static let timeoutFailure = "execution timeout"

    private(set) var warmAccounts = Set<Address>()
    private var warmSlots = Set<SlotKey>()
    private(set) var transient = [SlotKey: UInt256]()
    public private(set) var logs = [EVMLog]()
    public internal(set) var refund: Int64 = 0
    private(set) var createdInTransaction = Set<Address>()
    public private(set) var touched = Set<Address>()
    public private(set) var selfDestructed = [Address]()
    /// How to take back each insertion into the sets above and each transient write, newest last: a checkpoint is
    /// a length, and reverting pops back to it (copying the sets at every call would cost their size).
    private var undo: [Undo] = []
    private enum Undo { case warmAccount(Address), warmSlot(SlotKey), transient(SlotKey, UInt256?), created(Address), touched(Address) }

    /// Code analyses by the code buffer's identity, for the transaction (a contract called in a loop is analysed once).
    private var analyses: [CodeIdentity: CodeAnalysis] = [:]
    private var analysedBytes = 0
    static let analysisCacheBytes = 16 << 20
    /// Stacks of finished frames, lent again to new ones.
    private var spareStacks: [Stack] = []

    /// When set, execution stops once this instant passes (`eth_call`'s wall-clock limit; never in
    /// consensus, where gas alone bounds the work). Checked every ``deadlineCheckInterval`` jumps and at
    /// every call, so a loop notices within microseconds; once expired every frame fails, so the whole
    /// execution unwinds with ``interrupted`` set.
    public let deadline: ContinuousClock.Instant?
    /// `deadline != nil`, kept apart: the instant is a resilient type, so even comparing it to nil costs calls.
    let hasDeadline: Bool
    /// Observes frames, steps and logs (``EVMTracer``); nil runs the untraced loop.
    public let tracer: (any EVMTracer)?
    /// Whether the deadline passed during execution (the results are then meaningless).
    public private(set) var interrupted = false
    static let deadlineCheckInterval: UInt32 = 1_024
    private var jumpsSinceCheck: UInt32 = 0

    public init(state: EVMState, block: BlockEnvironment, tx: TransactionEnvironment, native: NativeContracts? = nil, schedule: GasSchedule = .cancun,
                deadline: ContinuousClock.Instant? = nil, tracer: (any EVMTracer)? = nil) {
        self.state = state; self.block = block; self.tx = tx; self.native = native; self.schedule = schedule; self.deadline = deadline
        hasDeadline = deadline != nil
        self.tracer = tracer
    }

    /// True once the deadline has passed; `everyJump` samples the clock only every ``deadlineCheckInterval`` calls.
    @inline(__always) func deadlinePassed(everyJump: Bool) -> Bool {
        guard hasDeadline, let deadline else { return false }
        if interrupted { return true }
        if everyJump {
            jumpsSinceCheck &+= 1
            guard jumpsSinceCheck >= Self.deadlineCheckInterval else { return false }
            jumpsSinceCheck = 0
        }
        if ContinuousClock.now >= deadline { interrupted = true }
        return interrupted
    }

    // MARK: Transaction-wide bookkeeping, undone with a frame

    struct Checkpoint {
        let state: Int, undo: Int, logs: Int, refund: Int64, destructed: Int
    }

    func checkpoint() -> Checkpoint {
        Checkpoint(state: state.snapshot(), undo: undo.count, logs: logs.count, refund: refund, destructed: selfDestructed.count)
    }

    /// 0x03: mainnet once kept a touch of RIPEMD-160 across a revert, and every client must too.
    static let ripemd = (try? Address([UInt8](repeating: 0, count: 19) + [3])) ?? .zero

    func revert(to c: Checkpoint) {
        state.revert(to: c.state)
        while undo.count > c.undo {
            switch undo.removeLast() {
            case .warmAccount(let a): warmAccounts.remove(a)
            case .warmSlot(let k): warmSlots.remove(k)
            case .transient(let k, let old): transient[k] = old
            case .created(let a): createdInTransaction.remove(a)
            // The touch of RIPEMD-160 stays: the journal forgets it, so no outer revert takes it back either.
            case .touched(let a): if a != Self.ripemd { touched.remove(a) }
            }
        }
        logs.removeLast(logs.count - c.logs); refund = c.refund
        selfDestructed.removeLast(selfDestructed.count - c.destructed)
    }

    /// Pre-warms an address (the transaction's sender, recipient, coinbase, precompiles, access list).
    public func warm(_ address: Address) { _ = warmAccount(address) }
    public func warm(_ address: Address, slot: UInt256) {
        let k = SlotKey(address, slot)
        if warmSlots.insert(k).inserted { undo.append(.warmSlot(k)) }
    }

    /// Warms `address`; true when it was cold.
    func warmAccount(_ address: Address) -> Bool {
        guard warmAccounts.insert(address).inserted else { return false }
        undo.append(.warmAccount(address))
        return true
    }

    public func touch(_ address: Address) {
        if touched.insert(address).inserted { undo.append(.touched(address)) }
    }

    func markCreated(_ address: Address) {
        if createdInTransaction.insert(address).inserted { undo.append(.created(address)) }
    }

    /// TSTORE: zero removes the slot.
    func setTransient(_ k: SlotKey, _ v: UInt256) {
        let old = v.isZero ? transient.removeValue(forKey: k) : transient.updateValue(v, forKey: k)
        if old != (v.isZero ? nil : v) { undo.append(.transient(k, old)) }
    }

    func balance(_ a: Address) -> UInt256 { state.account(a)?.balance ?? .zero }

    /// Moves value; false when the sender is short. Both sides count as touched (EIP-161).
    func transfer(from: Address, to: Address, _ value: UInt256) -> Bool {
        var sender = state.account(from) ?? EVMAccount()
        guard sender.balance >= value else { return false }
        touch(from); touch(to)
        if value.isZero { if state.account(to) == nil { state.setAccount(to, EVMAccount()) }; return true }
        sender.balance = sender.balance &- value
        state.setAccount(from, sender)
        var receiver = state.account(to) ?? EVMAccount()
        receiver.balance = receiver.balance &+ value
        state.setAccount(to, receiver)
        return true
    }

    public func addBalance(_ a: Address, _ value: UInt256) {
        var acct = state.account(a) ?? EVMAccount()
        acct.balance = acct.balance &+ value
        state.setAccount(a, acct)
        touch(a)
    }

    // MARK: Frames

    /// A message call (CALL, CALLCODE, DELEGATECALL, STATICCALL, or a transaction's call).
    public struct Message {
        public var caller: Address
        /// Whose code runs.
        public var codeAddress: Address
        /// Whose storage and balance the code acts on.
        public var target: Address
        public var value: UInt256
        /// Whether value moves (false for DELEGATECALL, whose value is only what CALLVALUE reads).
        public var transfersValue: Bool
        public var input: [UInt8]
        public var gas: UInt64
        public var isStatic: Bool
        public var depth: Int

        public init(caller: Address, codeAddress: Address, target: Address, value: UInt256, transfersValue: Bool, input: [UInt8], gas: UInt64, isStatic: Bool, depth: Int) {
            self.caller = caller; self.codeAddress = codeAddress; self.target = target; self.value = value; self.transfersValue = transfersValue
            self.input = input; self.gas = gas; self.isStatic = isStatic; self.depth = depth
        }
    }

    /// Runs a message call (a tracer sees it as a CALL).
    public func call(_ m: Message) -> FrameResult { call(m, kind: .call, from: m.caller) }

    /// Runs a message call opened by `kind` from the account `from` (for DELEGATECALL the delegating contract,
    /// not the message's caller), tracing the frame when a tracer is set.
    func call(_ m: Message, kind: TracedFrame.Kind, from: Address) -> FrameResult {
        guard let tracer else { return callFrame(m) }
        tracer.enterFrame(TracedFrame(kind: kind, from: from, to: m.codeAddress, input: m.input, gas: m.gas,
                                      value: kind == .staticcall ? nil : m.value, depth: m.depth))
        let result = callFrame(m)
        tracer.exitFrame(TracedFrameExit(output: result.output, gasUsed: m.gas >= result.gasLeft ? m.gas - result.gasLeft : 0,
                                         status: result.status, created: nil))
        return result
    }

    private func callFrame(_ m: Message) -> FrameResult {
        if m.depth > Self.maxCallDepth { return FrameResult(status: .failure("call depth"), gasLeft: m.gas, output: []) }
        if deadlinePassed(everyJump: false) { return FrameResult(status: .failure(Self.timeoutFailure), gasLeft: 0, output: []) }
        let c = checkpoint()
        if m.transfersValue {
            guard transfer(from: m.caller, to: m.target, m.value) else { return FrameResult(status: .failure("insufficient balance"), gasLeft: m.gas, output: []) }
        }
        var result: FrameResult
        if let precompile = Precompiles.contract(at: m.codeAddress) {
            result = precompile(m.input, m.gas)
        } else if let native, native.handles(m.codeAddress) {
            // A native contract may call back into bytecode (NOS callbacks), which recurses like any frame.
            result = m.depth == 0 ? DeepStack.frame { native.call(m, evm: self) } : native.call(m, evm: self)
        } else {
            let code = state.account(m.codeAddress)?.code ?? []
            if code.isEmpty {
                result = FrameResult(status: .success, gasLeft: m.gas, output: [])
            } else {
                result = runFrame(analysis(of: code), m)
            }
        }
        if !result.succeeded {
            revert(to: c)
            if case .failure = result.status { result.gasLeft = 0 }
        }
        return result
    }

    /// A creation (CREATE, CREATE2 with `salt`, or a creation transaction). The caller's nonce must
    /// already have been raised by the caller (transactions) — frames raise it here.
    public func create(caller: Address, value: UInt256, initcode: [UInt8], gas: UInt64, salt: UInt256?, depth: Int, raiseNonce: Bool = true) -> FrameResult {
        guard let tracer else { return createFrame(caller: caller, value: value, initcode: initcode, gas: gas, salt: salt, depth: depth, raiseNonce: raiseNonce) }
        let nonce = state.account(caller)?.nonce ?? 0
        let address = salt.map { Self.create2Address(caller, salt: $0, initcodeHash: Keccak256.hash(initcode)) }
            ?? Self.createAddress(caller, nonce: raiseNonce ? nonce : nonce &- 1)
        tracer.enterFrame(TracedFrame(kind: salt == nil ? .create : .create2, from: caller, to: address, input: initcode, gas: gas, value: value, depth: depth))
        let result = createFrame(caller: caller, value: value, initcode: initcode, gas: gas, salt: salt, depth: depth, raiseNonce: raiseNonce)
        // A creation's output is the code it deployed, as geth's tracers report it.
        let output = result.created.map { state.account($0)?.code ?? [] } ?? result.output
        tracer.exitFrame(TracedFrameExit(output: output, gasUsed: gas >= result.gasLeft ? gas - result.gasLeft : 0, status: result.status,
                                         created: result.created))
        return result
    }

    private func createFrame(caller: Address, value: UInt256, initcode: [UInt8], gas: UInt64, salt: UInt256?, depth: Int, raiseNonce: Bool) -> FrameResult {
        if depth > Self.maxCallDepth { return FrameResult(status: .failure("call depth"), gasLeft: gas, output: []) }
        if deadlinePassed(everyJump: false) { return FrameResult(status: .failure(Self.timeoutFailure), gasLeft: 0, output: []) }
        guard balance(caller) >= value else { return FrameResult(status: .failure("insufficient balance"), gasLeft: gas, output: []) }
        var sender = state.account(caller) ?? EVMAccount()
        let nonce = raiseNonce ? sender.nonce : sender.nonce &- 1
        if raiseNonce {
            guard sender.nonce < UInt64.max else { return FrameResult(status: .failure("nonce overflow"), gasLeft: gas, output: []) }
            sender.nonce += 1
            state.setAccount(caller, sender)
        }
        let address: Address
        if let salt {
            address = Self.create2Address(caller, salt: salt, initcodeHash: Keccak256.hash(initcode))
        } else {
            address = Self.createAddress(caller, nonce: nonce)
        }
        _ = warmAccount(address)
        // An address that already holds code, a nonce or storage cannot be created again.
        let existing = state.account(address)
        if existing?.nonce ?? 0 != 0 || !(existing?.code.isEmpty ?? true) || state.hasStorage(address) {
            return FrameResult(status: .failure("address collision"), gasLeft: 0, output: [])
        }
        let c = checkpoint()
        var account = state.account(address) ?? EVMAccount()
        account.nonce = 1
        state.setAccount(address, account)
        markCreated(address)
        guard transfer(from: caller, to: address, value) else { revert(to: c); return FrameResult(status: .failure("insufficient balance"), gasLeft: gas, output: []) }
        let m = Message(caller: caller, codeAddress: address, target: address, value: value, transfersValue: false, input: [], gas: gas, isStatic: false, depth: depth)
        // Initcode runs once: analysed, not cached.
        var result = runFrame(CodeAnalysis(initcode), m)
        if result.succeeded {
            let code = result.output
            let deposit = UInt64(code.count) * 200
            if code.count > Self.maxCodeSize {
                result = FrameResult(status: .failure("code too large"), gasLeft: 0, output: [])
            } else if code.first == 0xef {
                result = FrameResult(status: .failure("code starts with 0xEF"), gasLeft: 0, output: [])
            } else if result.gasLeft < deposit {
                result = FrameResult(status: .failure("out of gas for code deposit"), gasLeft: 0, output: [])
            } else {
                result.gasLeft -= deposit
                var acct = state.account(address) ?? EVMAccount(nonce: 1)
                acct.code = code
                state.setAccount(address, acct)
                result.output = []
                result.created = address
                return result
            }
        }
        revert(to: c)
        if case .failure = result.status { result.gasLeft = 0 }
        return result
    }

    public static func createAddress(_ sender: Address, nonce: UInt64) -> Address {
        let hash = Keccak256.hash(RLP.encode(.list([.bytes(sender.bytes), .uint(nonce)])))
        return (try? Address(Array(hash.suffix(20)))) ?? .zero
    }

    public static func create2Address(_ sender: Address, salt: UInt256, initcodeHash: [UInt8]) -> Address {
        let hash = Keccak256.hash([0xff] + sender.bytes + salt.bigEndianBytes + initcodeHash)
        return (try? Address(Array(hash.suffix(20)))) ?? .zero
    }

    /// Records a log (undone if the emitting frame fails).
    public func emit(_ log: EVMLog) {
        logs.append(log)
        tracer?.log(log)
    }

    func markSelfDestructed(_ a: Address) { if !selfDestructed.contains(a) { selfDestructed.append(a) } }

    func accessAccount(_ a: Address) -> UInt64 {
        guard schedule.accessLists else { return schedule.accountAccess }
        return warmAccount(a) ? 2_600 : 100
    }

    func accessSlot(_ a: Address, _ k: UInt256) -> (cold: Bool, cost: UInt64) {
        guard schedule.accessLists else { return (false, schedule.sload) }
        let key = SlotKey(a, k)
        // One hash: insert says whether it was already there.
        guard warmSlots.insert(key).inserted else { return (false, 100) }
        undo.append(.warmSlot(key))
        return (true, 2_100)
    }

    /// The analysis of `code`, made once per code buffer in this transaction. The cached analysis holds `code`, so
    /// its buffer cannot be freed and its address reused for other bytes while the entry lives; and a buffer that
    /// is shared cannot be changed in place (copy on write), so equal identities mean equal bytes.
    func analysis(of code: [UInt8]) -> CodeAnalysis {
        let id = CodeIdentity(code)
        if let cached = analyses[id] { return cached }
        // A state that hands out a fresh array on every read would only miss; the bound keeps it from piling up.
        if analysedBytes > Self.analysisCacheBytes { analyses = [:]; analysedBytes = 0 }
        let made = CodeAnalysis(code)
        analyses[id] = made
        analysedBytes += code.count
        return made
    }

    /// Runs a frame on a stack lent from ``spareStacks`` (the transaction's outermost frame on a deep stack).
    private func runFrame(_ code: CodeAnalysis, _ m: Message) -> FrameResult {
        let stack = spareStacks.popLast() ?? Stack()
        defer { spareStacks.append(stack) }
        var frame = Frame(evm: self, code: code, stack: stack, message: m)
        return m.depth == 0 ? DeepStack.frame { frame.run() } : frame.run()
    }
}
