import AnkrPrimitives

/// One executing frame: its code, stack, memory and gas, run by ``run()``.
struct Frame {
    unowned let evm: EVM
    let code: [UInt8]
    let m: EVM.Message
    let stack = Stack()
    var memory: [UInt8] = []
    var pc = 0
    var gas: UInt64
    var returnData: [UInt8] = []
    let jumpdests: [Bool]
    /// Traced runs only: the gas before the current opcode, and whether its `stepEnded` is still owed.
    var stepGas: UInt64 = 0
    var stepOpen = false

    init(evm: EVM, code: [UInt8], message: EVM.Message) {
        self.evm = evm; self.code = code; self.m = message; gas = message.gas
        var valid = [Bool](repeating: false, count: code.count)
        var i = 0
        while i < code.count {
            let op = code[i]
            if op == 0x5b { valid[i] = true }
            i += (op >= 0x60 && op <= 0x7f) ? Int(op - 0x5f) + 1 : 1
        }
        jumpdests = valid
    }

    enum Halt: Error { case failure(String) }

    /// Charges `n`. When short, gas is left as it was: the failing frame ends with none anyway, and a tracer then
    /// reports as the opcode's cost what it was charged before the failing charge (as revm does).
    mutating func use(_ n: UInt64) throws {
        guard gas >= n else { throw Halt.failure("out of gas") }
        gas -= n
    }

    mutating func pop() throws -> UInt256 {
        guard let v = stack.pop() else { throw Halt.failure("stack underflow") }
        return v
    }

    mutating func push(_ v: UInt256) throws {
        guard stack.push(v) else { throw Halt.failure("stack overflow") }
    }

    /// ⌈n / 32⌉ without forming n + 31, which traps for the sizes near 2^64 a program can push. The result
    /// is at most 2^59, so a caller's `6 * words(n)` and `30 + 6 * words(n)` stay inside 64 bits too.
    @inline(__always) static func words(_ n: UInt64) -> UInt64 { (n >> 5) &+ (n & 31 == 0 ? 0 : 1) }
    /// Memory's quadratic cost; `expand` bounds `words` to 2^28, so the square stays inside 64 bits.
    static func memoryCost(_ words: UInt64) -> UInt64 { 3 * words + words * words / 512 }

    /// Grows memory to cover [offset, offset + size), charging for it. Size 0 touches nothing.
    mutating func expand(_ offset: UInt256, _ size: UInt256) throws {
        if size.isZero { return }
        guard let o = offset.uint64, let s = size.uint64, o <= 0xffff_ffff, s <= 0xffff_ffff else { throw Halt.failure("out of gas") }
        let end = o + s
        if end <= UInt64(memory.count) { return }
        let newWords = Self.words(end), oldWords = UInt64(memory.count) / 32
        try use(Self.memoryCost(newWords) - Self.memoryCost(oldWords))
        memory.append(contentsOf: [UInt8](repeating: 0, count: Int(newWords * 32) - memory.count))
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

    mutating func run() -> FrameResult {
        if let tracer = evm.tracer { return runTraced(tracer) }
        do {
            while pc < code.count {
                let op = code[pc]
                pc += 1
                if let result = try step(op) { return result }
            }
            return FrameResult(status: .success, gasLeft: gas, output: [])
        } catch Halt.failure(let why) {
            return FrameResult(status: .failure(why), gasLeft: 0, output: [])
        } catch {
            return FrameResult(status: .failure("\(error)"), gasLeft: 0, output: [])
        }
    }

    /// ``run()`` with a tracer: the same steps, each reported before and after. Past the end the code reads as
    /// STOP, a step geth and revm both trace.
    mutating func runTraced(_ tracer: any EVMTracer) -> FrameResult {
        do {
            while true {
                let op = pc < code.count ? code[pc] : 0x00
                stepGas = gas
                stepOpen = true
                tracer.step(TracedStep(pc: pc, op: op, gas: gas, depth: m.depth + 1, refund: evm.refund, memory: memory, returnData: returnData,
                                       contract: m.target, stack: stack, evm: evm))
                if pc >= code.count {
                    endStep(tracer, error: nil)
                    return FrameResult(status: .success, gasLeft: gas, output: [])
                }
                pc += 1
                let result = try step(op)
                endStep(tracer, error: nil)
                if let result { return result }
            }
        } catch Halt.failure(let why) {
            endStep(tracer, error: why)
            return FrameResult(status: .failure(why), gasLeft: 0, output: [])
        } catch {
            endStep(tracer, error: "\(error)")
            return FrameResult(status: .failure("\(error)"), gasLeft: 0, output: [])
        }
    }

    /// Reports the current opcode's cost once (CALL and CREATE report it before their child frame runs).
    mutating func endStep(_ tracer: any EVMTracer, error: String?) {
        guard stepOpen else { return }
        stepOpen = false
        tracer.stepEnded(gasCost: stepGas >= gas ? stepGas - gas : 0, error: error)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func step(_ op: UInt8) throws -> FrameResult? {
        switch op {
        case 0x00: return FrameResult(status: .success, gasLeft: gas, output: [])
        case 0x01: try use(3); let a = try pop(), b = try pop(); try push(a &+ b)
        case 0x02: try use(5); let a = try pop(), b = try pop(); try push(a &* b)
        case 0x03: try use(3); let a = try pop(), b = try pop(); try push(a &- b)
        case 0x04: try use(5); let a = try pop(), b = try pop(); try push(b.isZero ? .zero : a / b)
        case 0x05: try use(5); let a = try pop(), b = try pop(); try push(b.isZero ? .zero : a.signedDivided(by: b))
        case 0x06: try use(5); let a = try pop(), b = try pop(); try push(b.isZero ? .zero : a % b)
        case 0x07: try use(5); let a = try pop(), b = try pop(); try push(b.isZero ? .zero : a.signedRemainder(dividingBy: b))
        case 0x08: try use(8); let a = try pop(), b = try pop(), n = try pop(); try push(n.isZero ? .zero : UInt256.addMod(a, b, n))
        case 0x09: try use(8); let a = try pop(), b = try pop(), n = try pop(); try push(n.isZero ? .zero : UInt256.mulMod(a, b, n))
        case 0x0a:
            let a = try pop(), e = try pop()
            try use(10 + evm.schedule.expByte * UInt64((e.bitWidth + 7) / 8))
            try push(a.power(e))
        case 0x0b: try use(5); let b = try pop(), x = try pop(); try push(x.signExtended(fromByte: b))
        case 0x10: try use(3); let a = try pop(), b = try pop(); try push(a < b ? .one : .zero)
        case 0x11: try use(3); let a = try pop(), b = try pop(); try push(b < a ? .one : .zero)
        case 0x12: try use(3); let a = try pop(), b = try pop(); try push(UInt256.signedLess(a, b) ? .one : .zero)
        case 0x13: try use(3); let a = try pop(), b = try pop(); try push(UInt256.signedLess(b, a) ? .one : .zero)
        case 0x14: try use(3); let a = try pop(), b = try pop(); try push(a == b ? .one : .zero)
        case 0x15: try use(3); let a = try pop(); try push(a.isZero ? .one : .zero)
        case 0x16: try use(3); let a = try pop(), b = try pop(); try push(a & b)
        case 0x17: try use(3); let a = try pop(), b = try pop(); try push(a | b)
        case 0x18: try use(3); let a = try pop(), b = try pop(); try push(a ^ b)
        case 0x19: try use(3); let a = try pop(); try push(a ^ UInt256(w0: .max, w1: .max, w2: .max, w3: .max))
        case 0x1a: try use(3); let i = try pop(), x = try pop(); try push(x.byte(i))
        case 0x1b: try use(3); let s = try pop(), x = try pop(); try push(x.shiftedLeft(s))
        case 0x1c: try use(3); let s = try pop(), x = try pop(); try push(x.shiftedRight(s))
        case 0x1d: try use(3); let s = try pop(), x = try pop(); try push(x.arithmeticShiftRight(s))
        case 0x20:
            let o = try pop(), s = try pop()
            try use(30 + 6 * Self.words(s.uint64 ?? .max / 64))
            try expand(o, s)
            let digest: [UInt8]
            if let start = o.uint64, let count = s.uint64, count > 0 {
                digest = memory.withUnsafeBytes { Keccak256.hash(UnsafeRawBufferPointer(rebasing: $0[Int(start)..<Int(start + count)])) }
            } else {
                digest = Keccak256.hash([UInt8]())
            }
            try push(UInt256(bigEndian: digest) ?? .zero)
        case 0x30: try use(2); try push(m.target.word)
        case 0x31:
            let a = Address(word: try pop())
            try use(evm.accessAccount(a))
            try push(evm.balance(a))
        case 0x32: try use(2); try push(evm.tx.origin.word)
        case 0x33: try use(2); try push(m.caller.word)
        case 0x34: try use(2); try push(m.value)
        case 0x35: try use(3); let o = try pop(); try push(UInt256(bigEndian: Self.slice(m.input, o, 32)) ?? .zero)
        case 0x36: try use(2); try push(UInt256(UInt64(m.input.count)))
        case 0x37, 0x39, 0x3e:
            let dest = try pop(), o = try pop(), s = try pop()
            try use(3 + 3 * Self.words(s.uint64 ?? .max / 64))
            if op == 0x3e {
                let (end, overflow) = o.addingReportingOverflow(s)
                guard !overflow, end <= UInt256(UInt64(returnData.count)) else { throw Halt.failure("return data out of bounds") }
            }
            try expand(dest, s)
            let source = op == 0x37 ? m.input : op == 0x39 ? code : returnData
            write(dest, Self.slice(source, o, Int(s.uint64 ?? 0)))
        case 0x38: try use(2); try push(UInt256(UInt64(code.count)))
        case 0x3a: try use(2); try push(evm.tx.gasPrice)
        case 0x3b:
            let a = Address(word: try pop())
            try use(evm.accessAccount(a))
            try push(UInt256(UInt64(evm.state.account(a)?.code.count ?? 0)))
        case 0x3c:
            let a = Address(word: try pop()), dest = try pop(), o = try pop(), s = try pop()
            try use(evm.accessAccount(a) + 3 * Self.words(s.uint64 ?? .max / 64))
            try expand(dest, s)
            write(dest, Self.slice(evm.state.account(a)?.code ?? [], o, Int(s.uint64 ?? 0)))
        case 0x3d: try use(2); try push(UInt256(UInt64(returnData.count)))
        case 0x3f:
            let a = Address(word: try pop())
            try use(evm.accessAccount(a))
            if let acct = evm.state.account(a), !acct.isEmpty { try push(UInt256(bigEndian: Keccak256.hash(acct.code)) ?? .zero) } else { try push(.zero) }
        case 0x40:
            try use(20)
            let n = try pop()
            if let k = n.uint64, k < evm.block.number, evm.block.number - k <= 256 {
                try push(UInt256(bigEndian: (evm.block.blockHashes[k] ?? .zero).bytes) ?? .zero)
            } else { try push(.zero) }
        case 0x41: try use(2); try push(evm.block.coinbase.word)
        case 0x42: try use(2); try push(UInt256(evm.block.timestamp))
        case 0x43: try use(2); try push(UInt256(evm.block.number))
        case 0x44: try use(2); try push(UInt256(bigEndian: evm.block.prevRandao.bytes) ?? .zero)
        case 0x45: try use(2); try push(UInt256(evm.block.gasLimit))
        case 0x46: try use(2); try push(UInt256(evm.block.chainID))
        case 0x47: try use(5); try push(evm.balance(m.target))
        case 0x48: try use(2); try push(evm.block.baseFee)
        case 0x49:
            try use(3)
            let i = try pop()
            if let k = i.uint64, k < UInt64(evm.tx.blobHashes.count) { try push(UInt256(bigEndian: evm.tx.blobHashes[Int(k)].bytes) ?? .zero) } else { try push(.zero) }
        case 0x4a: try use(2); try push(evm.block.blobBaseFee)
        case 0x50: try use(2); _ = try pop()
        case 0x51:
            try use(3)
            let o = try pop()
            try expand(o, UInt256(32))
            let start = Int(o.w0)  // expand checked it fits
            try push(UInt256(bigEndian: memory[start..<start + 32]) ?? .zero)
        case 0x52:
            try use(3)
            let o = try pop(), v = try pop()
            try expand(o, UInt256(32))
            let start = Int(o.w0)  // expand checked it fits
            memory.withUnsafeMutableBytes { buf in
                buf.storeBytes(of: v.w3.bigEndian, toByteOffset: start, as: UInt64.self)
                buf.storeBytes(of: v.w2.bigEndian, toByteOffset: start + 8, as: UInt64.self)
                buf.storeBytes(of: v.w1.bigEndian, toByteOffset: start + 16, as: UInt64.self)
                buf.storeBytes(of: v.w0.bigEndian, toByteOffset: start + 24, as: UInt64.self)
            }
        case 0x53:
            try use(3)
            let o = try pop(), v = try pop()
            try expand(o, .one)
            write(o, [UInt8(truncatingIfNeeded: v.w0)])
        case 0x54:
            let k = try pop()
            try use(evm.accessSlot(m.target, k).cost)
            try push(evm.state.storage(m.target, k))
        case 0x55: try sstore()
        case 0x56:
            try use(8)
            try jump(to: try pop())
        case 0x57:
            try use(10)
            let dest = try pop(), cond = try pop()
            if !cond.isZero { try jump(to: dest) }
        case 0x58: try use(2); try push(UInt256(UInt64(pc - 1)))
        case 0x59: try use(2); try push(UInt256(UInt64(memory.count)))
        case 0x5a: try use(2); try push(UInt256(gas))
        case 0x5b: try use(1)
        case 0x5c:
            try use(100)
            let k = try pop()
            try push(evm.transient[EVM.SlotKey(address: m.target, key: k)] ?? .zero)
        case 0x5d:
            guard !m.isStatic else { throw Halt.failure("TSTORE in a static call") }
            try use(100)
            let k = try pop(), v = try pop()
            evm.transient[EVM.SlotKey(address: m.target, key: k)] = v.isZero ? nil : v
        case 0x5e:
            let dest = try pop(), src = try pop(), s = try pop()
            try use(3 + 3 * Self.words(s.uint64 ?? .max / 64))
            if !s.isZero {
                let (srcEnd, o1) = src.addingReportingOverflow(s), (destEnd, o2) = dest.addingReportingOverflow(s)
                guard !o1, !o2 else { throw Halt.failure("out of gas") }
                try expand(.zero, max(srcEnd, destEnd))
                write(dest, read(src, s))
            }
        case 0x5f: try use(2); try push(.zero)
        case 0x60...0x7f:
            try use(3)
            let n = Int(op - 0x5f)
            // Bytes past the end of the code read as zeros.
            let end = min(pc + n, code.count)
            var v = UInt256(bigEndian: code[pc..<end]) ?? .zero
            if end - pc < n { v = v.shiftedLeft(8 * (n - (end - pc))) }
            pc += n
            try push(v)
        case 0x80...0x8f:
            try use(3)
            let n = Int(op - 0x7f)
            guard stack.count >= n else { throw Halt.failure("stack underflow") }
            try push(stack.peek(n))
        case 0x90...0x9f:
            try use(3)
            let n = Int(op - 0x8f)
            guard stack.count > n else { throw Halt.failure("stack underflow") }
            stack.swapTop(with: n)
        case 0xa0...0xa4:
            guard !m.isStatic else { throw Halt.failure("LOG in a static call") }
            let n = Int(op - 0xa0)
            // revm's order: offset and size, the charge and the memory, and only then the topics, so a
            // step that runs out of topics shows the gas it was charged in a trace (the outcome is the same).
            let o = try pop(), s = try pop()
            // A size past 2^32 could never be paid for (and 8 × size would overflow).
            guard let size = s.uint64, size <= 0xffff_ffff else { throw Halt.failure("out of gas") }
            try use(375 + 375 * UInt64(n) + 8 * size)
            try expand(o, s)
            var topics = [H256]()
            for _ in 0..<n {
                let t = try pop()
                topics.append(H256(word: t))
            }
            evm.emit(EVMLog(address: m.target, topics: topics, data: read(o, s)))
        case 0xf0, 0xf5: return try create(salted: op == 0xf5)
        case 0xf1, 0xf2, 0xf4, 0xfa: return try call(op)
        case 0xf3, 0xfd:
            let o = try pop(), s = try pop()
            try expand(o, s)
            return FrameResult(status: op == 0xf3 ? .success : .revert, gasLeft: gas, output: read(o, s))
        case 0xff: return try selfDestruct()
        default:
            throw Halt.failure(op == 0xfe ? "INVALID" : String(format: "undefined opcode 0x%02x", op))
        }
        return nil
    }

    mutating func jump(to dest: UInt256) throws {
        // Every loop jumps: the cheapest place to notice an expired deadline.
        if evm.deadlinePassed(everyJump: true) { throw Halt.failure(EVM.timeoutFailure) }
        guard let d = dest.uint64, d < UInt64(code.count), jumpdests[Int(d)] else { throw Halt.failure("bad jump destination") }
        pc = Int(d)
    }

    /// EIP-2200 with EIP-2929 cold access and EIP-3529 refunds (Frontier: 20,000 to set, 5,000 otherwise).
    mutating func sstore() throws {
        guard !m.isStatic else { throw Halt.failure("SSTORE in a static call") }
        guard evm.schedule.netSstore else {
            let k = try pop(), new = try pop()
            let current = evm.state.storage(m.target, k)
            try use(current.isZero && !new.isZero ? 20_000 : 5_000)
            if !current.isZero, new.isZero { evm.refund += 15_000 }
            evm.state.setStorage(m.target, k, new)
            return
        }
        guard gas > 2_300 else { throw Halt.failure("out of gas (SSTORE needs more than the stipend)") }
        let k = try pop(), new = try pop()
        let (cold, _) = evm.accessSlot(m.target, k)
        var cost: UInt64 = cold ? 2_100 : 0
        let current = evm.state.storage(m.target, k), original = evm.state.originalStorage(m.target, k)
        if current == new {
            cost += 100
        } else if original == current {
            cost += original.isZero ? 20_000 : 2_900
            if !original.isZero, new.isZero { evm.refund += 4_800 }
        } else {
            cost += 100
            if !original.isZero {
                if current.isZero { evm.refund -= 4_800 } else if new.isZero { evm.refund += 4_800 }
            }
            if original == new { evm.refund += original.isZero ? 19_900 : 2_800 }
        }
        try use(cost)
        evm.state.setStorage(m.target, k, new)
    }

    mutating func call(_ op: UInt8) throws -> FrameResult? {
        let requested = try pop(), to = Address(word: try pop())
        let value: UInt256 = (op == 0xf1 || op == 0xf2) ? try pop() : (op == 0xf4 ? m.value : .zero)
        let inO = try pop(), inS = try pop(), outO = try pop(), outS = try pop()
        let movesValue = (op == 0xf1 || op == 0xf2) && !value.isZero
        if op == 0xf1, movesValue, m.isStatic { throw Halt.failure("CALL with value in a static call") }
        try expand(inO, inS)
        try expand(outO, outS)
        var cost = evm.schedule.accessLists ? evm.accessAccount(to) : evm.schedule.call
        if movesValue { cost += 9_000 }
        if op == 0xf1, movesValue, evm.state.account(to)?.isEmpty ?? true { cost += 25_000 }
        try use(cost)
        let available = evm.schedule.allButOne64th ? gas - gas / 64 : gas
        // Before EIP-150 a call asking for more gas than is left runs out of gas.
        if !evm.schedule.allButOne64th, requested > UInt256(available) { throw Halt.failure("out of gas") }
        var callGas = min(requested.uint64 ?? .max, available)
        try use(callGas)
        // The cost a tracer sees includes the gas given to the callee, even when no frame starts (as revm and geth).
        if let tracer = evm.tracer { endStep(tracer, error: nil) }
        if movesValue { callGas += 2_300 }
        let input = read(inO, inS)
        returnData = []
        if m.depth + 1 > EVM.maxCallDepth || (movesValue && evm.balance(m.target) < value) {
            gas += callGas
            try push(.zero)
            return nil
        }
        let message: EVM.Message, kind: TracedFrame.Kind
        switch op {
        case 0xf1: message = .init(caller: m.target, codeAddress: to, target: to, value: value, transfersValue: true, input: input, gas: callGas, isStatic: m.isStatic, depth: m.depth + 1)
            kind = .call
        case 0xf2: message = .init(caller: m.target, codeAddress: to, target: m.target, value: value, transfersValue: true, input: input, gas: callGas, isStatic: m.isStatic, depth: m.depth + 1)
            kind = .callcode
        case 0xf4: message = .init(caller: m.caller, codeAddress: to, target: m.target, value: m.value, transfersValue: false, input: input, gas: callGas, isStatic: m.isStatic, depth: m.depth + 1)
            kind = .delegatecall
        default:
            evm.touch(to)
            message = .init(caller: m.target, codeAddress: to, target: to, value: .zero, transfersValue: false, input: input, gas: callGas, isStatic: true, depth: m.depth + 1)
            kind = .staticcall
        }
        let result = evm.call(message, kind: kind, from: m.target)
        gas += result.gasLeft
        returnData = result.output
        if let n = outS.uint64, n > 0 { write(outO, Array(result.output.prefix(Int(n)))) }
        try push(result.succeeded ? .one : .zero)
        return nil
    }

    mutating func create(salted: Bool) throws -> FrameResult? {
        guard !m.isStatic else { throw Halt.failure("CREATE in a static call") }
        let value = try pop(), o = try pop(), s = try pop()
        guard let size = s.uint64, size <= UInt64(EVM.maxInitcodeSize) else { throw Halt.failure("initcode too large") }
        // revm's order of charges (initcode words, memory, then the salt is popped and the creation charged), so a
        // traced failing step shows the same partial cost; the outcome is the same in any order.
        try use(2 * Self.words(size))
        try expand(o, s)
        let salt: UInt256? = salted ? try pop() : nil
        try use(32_000 + (salted ? 6 * Self.words(size) : 0))
        let initcode = read(o, s)
        returnData = []
        let callGas = evm.schedule.allButOne64th ? gas - gas / 64 : gas
        try use(callGas)
        if let tracer = evm.tracer { endStep(tracer, error: nil) }
        let result = evm.create(caller: m.target, value: value, initcode: initcode, gas: callGas, salt: salt, depth: m.depth + 1)
        gas += result.gasLeft
        if case .revert = result.status { returnData = result.output }
        try push(result.created.map(\.word) ?? .zero)
        return nil
    }

    mutating func selfDestruct() throws -> FrameResult? {
        guard !m.isStatic else { throw Halt.failure("SELFDESTRUCT in a static call") }
        let beneficiary = Address(word: try pop())
        var cost = evm.schedule.selfDestruct
        if evm.schedule.accessLists, !evm.warmAccounts.contains(beneficiary) { cost += 2_600; evm.warmAccounts.insert(beneficiary) }
        let balance = evm.balance(m.target)
        if evm.schedule.selfDestruct > 0, !balance.isZero, evm.state.account(beneficiary)?.isEmpty ?? true { cost += 25_000 }
        try use(cost)
        // EIP-6780: the balance always moves; the account only goes if it was created in this transaction.
        if evm.createdInTransaction.contains(m.target) || !evm.schedule.selfDestructOnlyInCreation {
            var me = evm.state.account(m.target) ?? EVMAccount()
            me.balance = .zero
            evm.state.setAccount(m.target, me)
            if beneficiary != m.target { evm.addBalance(beneficiary, balance) }
            evm.markSelfDestructed(m.target)
        } else if beneficiary != m.target {
            _ = evm.transfer(from: m.target, to: beneficiary, balance)
        } else {
            evm.touch(beneficiary)
        }
        return FrameResult(status: .success, gasLeft: gas, output: [])
    }
}

extension Address {
    /// The low 20 bytes of a stack word.
    init(word: UInt256) { self = (try? Address(Array(word.bigEndianBytes.suffix(20)))) ?? .zero }
    var word: UInt256 { UInt256(bigEndian: bytes) ?? .zero }
}
