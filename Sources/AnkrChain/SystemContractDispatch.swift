import AnkrEVM
import AnkrPrimitives

/// Runs system contracts for the EVM, so contracts call them like any other contract (and a
/// transaction to one goes the same way).
///
/// A system contract's code is native: it acts on the ``WorldState`` under the EVM's adapter, whose
/// journal is the same one, so a frame that fails undoes the system contract's writes with its own.
/// It can only be the target of its own code: DELEGATECALL and CALLCODE, which would run it on
/// someone else's storage, fail. In a static context any write or log fails the call.
final class SystemContractDispatch: NativeContracts {
    let registry: SystemContractRegistry
    let state: EVMWorldState
    let block: BlockContext
    /// The transaction's intrinsic gas less its access list's part, handed to a system contract the transaction calls directly.
    let intrinsicGas: UInt64

    init(registry: SystemContractRegistry, state: EVMWorldState, block: BlockContext, intrinsicGas: UInt64 = 0) {
        self.registry = registry; self.state = state; self.block = block; self.intrinsicGas = intrinsicGas
    }

    func handles(_ address: Address) -> Bool { registry.contract(at: address) != nil }

    func call(_ m: EVM.Message, evm: EVM) -> FrameResult {
        func failure(_ why: String) -> FrameResult { FrameResult(status: .failure(why), gasLeft: 0, output: []) }
        guard let contract = registry.contract(at: m.codeAddress) else { return failure("no system contract at \(m.codeAddress)") }
        guard m.codeAddress == m.target else { return failure("\(contract.name) cannot run by DELEGATECALL or CALLCODE") }
        let world = state.world
        let before = world.snapshot()
        let host = Host(evm: evm, depth: m.depth + 1)
        let call = SystemCall(address: m.target, caller: m.caller, value: m.value, input: m.input, gasAvailable: m.gas, block: block,
                              host: m.isStatic ? nil : host, origin: evm.tx.origin, gasPrice: evm.tx.gasPrice,
                              intrinsicGas: m.depth == 0 ? intrinsicGas : 0)
        do {
            let result = try contract.call(call, state: world)
            guard result.gasUsed <= m.gas else { return failure("out of gas") }
            if m.isStatic && (world.snapshot() != before || !result.logs.isEmpty) { return failure("state change in a static call") }
            for log in result.logs { evm.emit(EVMLog(address: log.address, topics: log.topics, data: log.data)) }
            return FrameResult(status: .success, gasLeft: m.gas - result.gasUsed, output: result.output)
        } catch SystemCallError.reverted(let why, let used) {
            return FrameResult(status: .revert, gasLeft: m.gas - min(used, m.gas), output: ABI.revertData(why))
        } catch SystemCallError.outOfGas {
            return failure("out of gas")
        } catch let e as SystemCallError {
            // Bad input: a revert with the reason, charged all the gas given (as the native code cannot say how much it used).
            return FrameResult(status: .revert, gasLeft: 0, output: ABI.revertData(e.description))
        } catch {
            // Reading the database failed: not the caller's fault; the transaction will be refused.
            state.record(error)
            return failure("state unavailable: \(error)")
        }
    }

    /// Calls from a system contract into the EVM, one frame deeper.
    final class Host: ContractHost {
        unowned let evm: EVM
        let depth: Int

        init(evm: EVM, depth: Int) { self.evm = evm; self.depth = depth }

        func call(from: Address, to: Address, input: [UInt8], gas: UInt64) -> ContractCallResult {
            evm.warm(to)
            let r = evm.call(EVM.Message(caller: from, codeAddress: to, target: to, value: .zero, transfersValue: true, input: input,
                                         gas: gas, isStatic: false, depth: depth))
            return ContractCallResult(succeeded: r.succeeded, output: r.output, gasUsed: gas - r.gasLeft)
        }

        var gasRefund: Int64 { evm.refund }
    }
}
