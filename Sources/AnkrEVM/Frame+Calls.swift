import AnkrPrimitives

extension Frame {
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
        if evm.schedule.accessLists, evm.warmAccount(beneficiary) { cost += 2_600 }
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
