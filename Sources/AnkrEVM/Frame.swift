import AnkrPrimitives

/// One executing frame: its code, stack, memory and gas, run by ``run()``.
///
/// The loop in ``interpret(_:)`` checks each instruction's static gas and stack depth once, from ``limits``, and
/// then runs the common opcodes inline on the raw stack; the rest go through ``slowStep(_:)``. A halt leaves the
/// loop through one of two exits (``finish(_:_:)``, ``fail(_:_:)``), so no opcode returns an optional or throws
/// in the loop itself.
struct Frame {
    let evm: EVM
    let analysis: CodeAnalysis
    /// The padded code (``CodeAnalysis/bytes``): every offset the loop reads is below `count + padding`.
    let code: UnsafeMutablePointer<UInt8>
    let m: EVM.Message
    /// The stack storage, lent by the EVM for this frame's life; `s[0..<sp]` are the live words.
    let stack: Stack
    let s: UnsafeMutablePointer<UInt256>
    var sp = 0
    var memory: [UInt8] = []
    var pc = 0
    var gas: UInt64
    var returnData: [UInt8] = []
    /// Traced runs only: the gas before the current opcode, and whether its `stepEnded` is still owed.
    var stepGas: UInt64 = 0
    var stepOpen = false

    init(evm: EVM, code: CodeAnalysis, stack: Stack, message: EVM.Message) {
        self.evm = evm; analysis = code; self.code = code.bytes; self.stack = stack; s = stack.base; m = message; gas = message.gas
    }

    enum Halt: Error { case failure(String) }

    /// An opcode's static gas, charged before it runs, and the stack depths it may start from (fewer words is
    /// an underflow, more an overflow). Opcodes that charge or check in another order (calls, creations, logs,
    /// SSTORE, …) have zeros here and check for themselves, so each failure keeps the reason it always had.
    struct Limits {
        var gas: UInt32 = 0
        var minStack: UInt16 = 0
        var maxStack: UInt16 = UInt16(Stack.limit)
    }

    static let limits: [Limits] = {
        var t = [Limits](repeating: Limits(), count: 256)
        func set(_ op: Int, gas: UInt32, pops: Int, grows: Bool = false) {
            t[op] = Limits(gas: gas, minStack: UInt16(pops), maxStack: UInt16(Stack.limit - (grows ? 1 : 0)))
        }
        for op in [0x01, 0x03, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d] { set(op, gas: 3, pops: 2) }
        for op in [0x02, 0x04, 0x05, 0x06, 0x07, 0x0b] { set(op, gas: 5, pops: 2) }
        for op in [0x08, 0x09] { set(op, gas: 8, pops: 3) }
        for op in [0x15, 0x19, 0x35, 0x51] { set(op, gas: 3, pops: 1) }
        for op in [0x52, 0x53] { set(op, gas: 3, pops: 2) }
        for op in [0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3d, 0x58, 0x59, 0x5a, 0x5f] { set(op, gas: 2, pops: 0, grows: true) }
        for op in [0x20, 0xf3, 0xfd] { set(op, gas: 0, pops: 2) }
        set(0x50, gas: 2, pops: 1)
        set(0x54, gas: 0, pops: 1)
        set(0x56, gas: 8, pops: 1)
        set(0x57, gas: 10, pops: 2)
        set(0x5b, gas: 1, pops: 0)
        set(0x5c, gas: 100, pops: 1)
        set(0x5e, gas: 0, pops: 3)
        for op in 0x60...0x7f { set(op, gas: 3, pops: 0, grows: true) }
        for n in 1...16 { set(0x7f + n, gas: 3, pops: n, grows: true) }
        for n in 1...16 { set(0x8f + n, gas: 3, pops: n + 1) }
        return t
    }()

    /// Charges `n`. When short, gas is left as it was: the failing frame ends with none anyway, and a tracer then
    /// reports as the opcode's cost what it was charged before the failing charge (as revm does).
    mutating func use(_ n: UInt64) throws {
        guard gas >= n else { throw Halt.failure("out of gas") }
        gas -= n
    }

    /// A checked pop, for the opcodes ``limits`` does not cover.
    mutating func pop() throws -> UInt256 {
        guard sp > 0 else { throw Halt.failure("stack underflow") }
        sp -= 1
        return s[sp]  // 0 ≤ sp < Stack.limit
    }

    /// A checked push, for the opcodes ``limits`` does not cover.
    mutating func push(_ v: UInt256) throws {
        guard sp < Stack.limit else { throw Halt.failure("stack overflow") }
        s[sp] = v  // 0 ≤ sp < Stack.limit
        sp += 1
    }

    /// ⌈n / 32⌉ without forming n + 31, which traps for the sizes near 2^64 a program can push. The result
    /// is at most 2^59, so a caller's `6 * words(n)` and `30 + 6 * words(n)` stay inside 64 bits too.
    @inline(__always) static func words(_ n: UInt64) -> UInt64 { (n >> 5) &+ (n & 31 == 0 ? 0 : 1) }
    /// Memory's quadratic cost; `expand` bounds `words` to 2^28, so the square stays inside 64 bits.
    static func memoryCost(_ words: UInt64) -> UInt64 { 3 * words + words * words / 512 }

    /// Grows memory to cover [offset, offset + size), charging for it; false (gas unchanged) when that cannot be
    /// paid for. Size 0 touches nothing.
    @inline(__always) mutating func reserve(_ offset: UInt256, _ size: UInt256) -> Bool {
        if size.isZero { return true }
        guard (offset.w1 | offset.w2 | offset.w3 | size.w1 | size.w2 | size.w3) == 0, offset.w0 <= 0xffff_ffff, size.w0 <= 0xffff_ffff else { return false }
        let end = offset.w0 + size.w0
        return end <= UInt64(memory.count) || grow(to: end)
    }

    @inline(never) mutating func grow(to end: UInt64) -> Bool {
        let newWords = Self.words(end), oldWords = UInt64(memory.count) / 32
        let cost = Self.memoryCost(newWords) - Self.memoryCost(oldWords)
        guard gas >= cost else { return false }
        gas -= cost
        // Array growth doubles its capacity, so a frame that grows memory word by word copies it O(log n) times.
        memory.append(contentsOf: repeatElement(0, count: Int(newWords * 32) - memory.count))
        return true
    }

    /// ``reserve(_:_:)`` for the opcodes outside the loop.
    mutating func expand(_ offset: UInt256, _ size: UInt256) throws {
        guard reserve(offset, size) else { throw Halt.failure("out of gas") }
    }

    func read(_ offset: UInt256, _ size: UInt256) -> [UInt8] {
        guard let s = size.uint64, s > 0, let o = offset.uint64 else { return [] }
        return Array(memory[Int(o)..<Int(o + s)])
    }

    mutating func write(_ offset: UInt256, _ bytes: [UInt8]) {
        guard !bytes.isEmpty, let o = offset.uint64 else { return }
        memory.replaceSubrange(Int(o)..<Int(o) + bytes.count, with: bytes)
    }

    /// `size` bytes of `source` from `offset`, zero-padded past its end.
    static func slice(_ source: [UInt8], _ offset: UInt256, _ size: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        guard let o = offset.uint64, o < UInt64(source.count) else { return out }
        let n = min(size, source.count - Int(o))
        if n > 0 { out.replaceSubrange(0..<n, with: source[Int(o)..<Int(o) + n]) }
        return out
    }

    /// The 32 big-endian bytes at `offset` in `buffer`; the caller checked `offset + 32 ≤ buffer.count`.
    @inline(__always) static func word(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> UInt256 {
        UInt256(w0: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)),
                w1: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)),
                w2: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)),
                w3: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
    }

    /// The `n` (1…32) big-endian bytes at `p`: PUSHn's operand.
    @inline(__always) static func pushOperand(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt256 {
        var limbs: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var end = n, limb = 0
        while end > 0 {
            let start = Swift.max(0, end - 8)
            var v: UInt64 = 0
            for i in start..<end { v = v << 8 | UInt64(p[i]) }
            switch limb {
            case 0: limbs.0 = v
            case 1: limbs.1 = v
            case 2: limbs.2 = v
            default: limbs.3 = v
            }
            end = start; limb += 1
        }
        return UInt256(w0: limbs.0, w1: limbs.1, w2: limbs.2, w3: limbs.3)
    }

    mutating func run() -> FrameResult {
        if let tracer = evm.tracer { return runTraced(tracer) }
        return interpret(nil)
    }

    /// ``run()`` with a tracer: the same steps, each reported before and after. Past the end the code reads as
    /// STOP, a step geth and revm both trace.
    @inline(never) mutating func runTraced(_ tracer: any EVMTracer) -> FrameResult { interpret(tracer) }

    /// Reports the current opcode's cost once (CALL and CREATE report it before their child frame runs).
    mutating func endStep(_ tracer: any EVMTracer, error: String?) {
        guard stepOpen else { return }
        stepOpen = false
        tracer.stepEnded(gasCost: stepGas >= gas ? stepGas - gas : 0, error: error)
    }

    /// The frame ends with `result` (STOP, RETURN, REVERT, SELFDESTRUCT).
    @inline(__always) mutating func finish(_ result: FrameResult, _ tracer: (any EVMTracer)?) -> FrameResult {
        if let tracer { endStep(tracer, error: nil) }
        return result
    }

    /// The frame fails: all its gas is gone.
    @inline(__always) mutating func fail(_ why: String, _ tracer: (any EVMTracer)?) -> FrameResult {
        if let tracer { endStep(tracer, error: why) }
        return FrameResult(status: .failure(why), gasLeft: 0, output: [])
    }

    /// The top two words `a` (top) and `b` replaced by `f(a, b)`; ``limits`` checked there are two.
    @inline(__always) mutating func binary(_ f: (UInt256, UInt256) -> UInt256) {
        let a = s[sp - 1], b = s[sp - 2]
        sp -= 1
        s[sp - 1] = f(a, b)
    }

    /// The top word `a` replaced by `f(a)`; ``limits`` checked there is one.
    @inline(__always) mutating func unary(_ f: (UInt256) -> UInt256) { s[sp - 1] = f(s[sp - 1]) }

    /// Pushes after ``limits`` checked there is room.
    @inline(__always) mutating func put(_ v: UInt256) {
        s[sp] = v
        sp += 1
    }

    /// The interpreter loop, specialised twice: `tracer` is a constant nil in ``run()`` (every tracing branch
    /// folds away) and the tracer in ``runTraced(_:)``.
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    @inline(__always) mutating func interpret(_ tracer: (any EVMTracer)?) -> FrameResult {
        let limits = Self.limits
        while true {
            // In bounds: see CodeAnalysis.padding; every path below leaves pc < count + padding.
            let op = code[pc]
            if let tracer {
                stepGas = gas
                stepOpen = true
                tracer.step(TracedStep(pc: pc, op: op, gas: gas, depth: m.depth + 1, refund: evm.refund, memory: memory, returnData: returnData,
                                       contract: m.target, stack: stack, stackCount: sp, evm: evm))
            }
            pc += 1
            let limit = limits[Int(op)]
            guard gas >= UInt64(limit.gas) else { return fail("out of gas", tracer) }
            gas -= UInt64(limit.gas)
            guard sp >= Int(limit.minStack) else { return fail("stack underflow", tracer) }
            guard sp <= Int(limit.maxStack) else { return fail("stack overflow", tracer) }
            // From here `s[sp - minStack ..< sp]` are live words and, for an opcode that grows the stack, `s[sp]` is inside it.
            switch op {
            case 0x00: return finish(FrameResult(status: .success, gasLeft: gas, output: []), tracer)
            case 0x01: binary { $0 &+ $1 }
            case 0x02: binary { $0 &* $1 }
            case 0x03: binary { $0 &- $1 }
            case 0x04: binary { $1.isZero ? .zero : $0 / $1 }
            case 0x05: binary { $1.isZero ? .zero : $0.signedDivided(by: $1) }
            case 0x06: binary { $1.isZero ? .zero : $0 % $1 }
            case 0x07: binary { $1.isZero ? .zero : $0.signedRemainder(dividingBy: $1) }
            case 0x08, 0x09:
                let a = s[sp - 1], b = s[sp - 2], n = s[sp - 3]
                sp -= 2
                s[sp - 1] = n.isZero ? .zero : op == 0x08 ? UInt256.addMod(a, b, n) : UInt256.mulMod(a, b, n)
            case 0x0b: binary { $1.signExtended(fromByte: $0) }
            case 0x10: binary { $0 < $1 ? .one : .zero }
            case 0x11: binary { $1 < $0 ? .one : .zero }
            case 0x12: binary { UInt256.signedLess($0, $1) ? .one : .zero }
            case 0x13: binary { UInt256.signedLess($1, $0) ? .one : .zero }
            case 0x14: binary { $0 == $1 ? .one : .zero }
            case 0x15: unary { $0.isZero ? .one : .zero }
            case 0x16: binary { $0 & $1 }
            case 0x17: binary { $0 | $1 }
            case 0x18: binary { $0 ^ $1 }
            case 0x19: unary { $0 ^ UInt256.max }
            case 0x1a: binary { $1.byte($0) }
            case 0x1b: binary { $1.shiftedLeft($0) }
            case 0x1c: binary { $1.shiftedRight($0) }
            case 0x1d: binary { $1.arithmeticShiftRight($0) }
            case 0x20:
                let o = s[sp - 1], size = s[sp - 2]
                sp -= 1
                let cost = 30 + 6 * Self.words(size.uint64 ?? .max / 64)
                guard gas >= cost else { return fail("out of gas", tracer) }
                gas -= cost
                guard reserve(o, size) else { return fail("out of gas", tracer) }
                if size.isZero {
                    s[sp - 1] = Keccak256.word(UnsafeRawBufferPointer(start: nil, count: 0))
                } else {
                    // reserve made memory cover [o, o + size).
                    let start = Int(o.w0), count = Int(size.w0)
                    s[sp - 1] = memory.withUnsafeBytes { Keccak256.word(UnsafeRawBufferPointer(rebasing: $0[start..<start + count])) }
                }
            case 0x30: put(m.target.word)
            case 0x32: put(evm.tx.origin.word)
            case 0x33: put(m.caller.word)
            case 0x34: put(m.value)
            case 0x35:
                let o = s[sp - 1]
                if (o.w1 | o.w2 | o.w3) == 0, o.w0 < UInt64(m.input.count), m.input.count - Int(o.w0) >= 32 {
                    s[sp - 1] = m.input.withUnsafeBytes { Self.word($0, at: Int(o.w0)) }  // o + 32 ≤ count, checked above
                } else {
                    s[sp - 1] = UInt256(bigEndian: Self.slice(m.input, o, 32)) ?? .zero
                }
            case 0x36: put(UInt256(UInt64(m.input.count)))
            case 0x38: put(UInt256(UInt64(analysis.count)))
            case 0x3d: put(UInt256(UInt64(returnData.count)))
            case 0x50: sp -= 1
            case 0x51:
                let o = s[sp - 1]
                guard reserve(o, UInt256(32)) else { return fail("out of gas", tracer) }
                let start = Int(o.w0)  // reserve made memory cover [start, start + 32)
                s[sp - 1] = memory.withUnsafeBytes { Self.word($0, at: start) }
            case 0x52:
                let o = s[sp - 1], v = s[sp - 2]
                sp -= 2
                guard reserve(o, UInt256(32)) else { return fail("out of gas", tracer) }
                let start = Int(o.w0)  // reserve made memory cover [start, start + 32)
                memory.withUnsafeMutableBytes { buf in
                    buf.storeBytes(of: v.w3.bigEndian, toByteOffset: start, as: UInt64.self)
                    buf.storeBytes(of: v.w2.bigEndian, toByteOffset: start + 8, as: UInt64.self)
                    buf.storeBytes(of: v.w1.bigEndian, toByteOffset: start + 16, as: UInt64.self)
                    buf.storeBytes(of: v.w0.bigEndian, toByteOffset: start + 24, as: UInt64.self)
                }
            case 0x53:
                let o = s[sp - 1], v = s[sp - 2]
                sp -= 2
                guard reserve(o, .one) else { return fail("out of gas", tracer) }
                memory[Int(o.w0)] = UInt8(truncatingIfNeeded: v.w0)
            case 0x54:
                let k = s[sp - 1]
                let cost = evm.accessSlot(m.target, k).cost
                guard gas >= cost else { return fail("out of gas", tracer) }
                gas -= cost
                s[sp - 1] = evm.state.storage(m.target, k)
            case 0x56:
                sp -= 1
                if let why = jump(to: s[sp]) { return fail(why, tracer) }
            case 0x57:
                sp -= 2
                if !s[sp].isZero, let why = jump(to: s[sp + 1]) { return fail(why, tracer) }
            case 0x58: put(UInt256(UInt64(pc - 1)))
            case 0x59: put(UInt256(UInt64(memory.count)))
            case 0x5a: put(UInt256(gas))
            case 0x5b: break
            case 0x5c: s[sp - 1] = evm.transient[EVM.SlotKey(m.target, s[sp - 1])] ?? .zero
            case 0x5e:
                let dest = s[sp - 1], src = s[sp - 2], size = s[sp - 3]
                sp -= 3
                let cost = 3 + 3 * Self.words(size.uint64 ?? .max / 64)
                guard gas >= cost else { return fail("out of gas", tracer) }
                gas -= cost
                if !size.isZero {
                    let (srcEnd, o1) = src.addingReportingOverflow(size), (destEnd, o2) = dest.addingReportingOverflow(size)
                    guard !o1, !o2, reserve(.zero, Swift.max(srcEnd, destEnd)) else { return fail("out of gas", tracer) }
                    // reserve made memory cover both ranges, so both fit in 32 bits.
                    let from = Int(src.w0), to = Int(dest.w0), count = Int(size.w0)
                    memory.withUnsafeMutableBytes { buf in
                        guard let base = buf.baseAddress else { return }
                        (base + to).copyMemory(from: base + from, byteCount: count)  // memmove: the ranges may overlap
                    }
                }
            case 0x5f: put(.zero)
            case 0x60:
                put(UInt256(UInt64(code[pc])))
                pc += 1
            case 0x61...0x7f:
                let n = Int(op - 0x5f)
                put(Self.pushOperand(code + pc, n))  // pc + n ≤ count + 32: inside the padding
                pc += n
            case 0x80...0x8f: put(s[sp - Int(op - 0x7f)])
            case 0x90...0x9f:
                let other = sp - 1 - Int(op - 0x8f), top = s[sp - 1]
                s[sp - 1] = s[other]
                s[other] = top
            case 0xf3, 0xfd:
                let o = s[sp - 1], size = s[sp - 2]
                sp -= 2
                guard reserve(o, size) else { return fail("out of gas", tracer) }
                return finish(FrameResult(status: op == 0xf3 ? .success : .revert, gasLeft: gas, output: read(o, size)), tracer)
            default:
                do {
                    if let result = try slowStep(op) { return finish(result, tracer) }
                } catch Halt.failure(let why) {
                    return fail(why, tracer)
                } catch {
                    return fail("\(error)", tracer)
                }
            }
            if let tracer { endStep(tracer, error: nil) }
        }
    }

    /// Moves to `dest`; the failure when it is not a JUMPDEST or the deadline has passed.
    @inline(__always) mutating func jump(to dest: UInt256) -> String? {
        // Every loop jumps: the cheapest place to notice an expired deadline.
        if evm.hasDeadline, evm.deadlinePassed(everyJump: true) { return EVM.timeoutFailure }
        guard (dest.w1 | dest.w2 | dest.w3) == 0, analysis.isJumpdest(dest.w0) else { return "bad jump destination" }
        pc = Int(dest.w0)
        return nil
    }
}
