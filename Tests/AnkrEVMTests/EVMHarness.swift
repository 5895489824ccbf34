import AnkrEVM
import AnkrPrimitives

/// Runs code as a message call from a funded caller to a contract holding it, on a fresh state.
enum EVMHarness {
    static func call(_ code: [UInt8], input: [UInt8] = [], gas: UInt64 = 1_000_000, at target: String = "0x000000000000000000000000000000000000c0de") throws -> (FrameResult, InMemoryEVMState) {
        let state = InMemoryEVMState()
        let caller = try Address(hex: "0x000000000000000000000000000000000000cafe"), contract = try Address(hex: target)
        state.setAccount(caller, EVMAccount(balance: UInt256(1_000_000)))
        if !code.isEmpty { state.setAccount(contract, EVMAccount(code: code)) }
        state.beginTransaction()
        let evm = EVM(state: state, block: BlockEnvironment(chainID: 1, coinbase: .zero, number: 1, timestamp: 1, gasLimit: 30_000_000, baseFee: .zero),
                      tx: TransactionEnvironment(origin: caller, gasPrice: .zero))
        return (evm.call(EVM.Message(caller: caller, codeAddress: contract, target: contract, value: .zero, transfersValue: true, input: input, gas: gas,
                                     isStatic: false, depth: 0)), state)
    }
}
