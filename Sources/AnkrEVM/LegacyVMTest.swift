import AnkrPrimitives

/// The legacy VMTests format (ethereum/tests LegacyTests, `exec`/`gas`/`post`): one piece of code run
/// in a call frame with Frontier's prices, no value transfer and no transaction around it. The
/// result must match the gas left, the output, the logs hash and every post-state account — or, when
/// the fixture has no `post`, the code must fail.
public enum LegacyVMTest {
    public static let fork = "Frontier"

    static func runCase(name: String, test: [String: JSON]) throws -> StateTest.Result {
        typealias F = StateTest
        guard let env = test["env"]?.object, let exec = test["exec"]?.object, let pre = test["pre"]?.object else {
            throw StateTestError.missingFields(test: name, fields: "env, exec or pre")
        }
        let state = try F.prestate(pre, name: name)
        let number = try F.u64(env["currentNumber"])
        // The VMTests' fake chain names block n's hash keccak256 of n in decimal.
        var hashes = [UInt64: H256]()
        for n in number > 256 ? number - 256 ..< number : 0 ..< number { hashes[n] = Keccak256.h256(Array(String(n).utf8)) }
        let block = BlockEnvironment(chainID: 1, coinbase: try F.address(env["currentCoinbase"]), number: number,
                                     timestamp: try F.u64(env["currentTimestamp"]), gasLimit: try F.u64(env["currentGasLimit"]), baseFee: .zero,
                                     prevRandao: (try? H256(F.bytes(env["currentDifficulty"]).leftPadded(32))) ?? .zero, blockHashes: hashes)
        let target = try F.address(exec["address"])
        var account = state.account(target) ?? EVMAccount()
        account.code = try F.bytes(exec["code"])
        state.setAccount(target, account)
        state.beginTransaction()
        let evm = EVM(state: state, block: block, tx: TransactionEnvironment(origin: try F.address(exec["origin"]), gasPrice: try F.u256(exec["gasPrice"])),
                      schedule: .frontier)
        let result = evm.call(EVM.Message(caller: try F.address(exec["caller"]), codeAddress: target, target: target, value: try F.u256(exec["value"]),
                                          transfersValue: false, input: try F.bytes(exec["data"]), gas: try F.u64(exec["gas"]), isStatic: false, depth: 0))
        if result.succeeded { for a in evm.selfDestructed { state.destroy(a) } }
        let root = try state.stateRoot()
        func outcome(_ error: String?) -> StateTest.Result {
            StateTest.Result(name: name, fork: fork, index: 0, pass: error == nil, stateRoot: root, error: error)
        }
        guard let post = test["post"]?.object else {
            return outcome(result.succeeded ? "expected the code to fail, it succeeded" : nil)
        }
        guard result.succeeded else { return outcome("the code failed: \(result.status)") }
        let gasLeft = try F.u64(test["gas"])
        guard result.gasLeft == gasLeft else { return outcome("gas left \(result.gasLeft) ≠ \(gasLeft)") }
        let out = try F.bytes(test["out"])
        guard result.output == out else { return outcome("output \(result.output.hexPrefixed) ≠ \(out.hexPrefixed)") }
        let logs = TransactionExecutor.logsHash(evm.logs).description
        if let expected = test["logs"]?.string, logs != expected.lowercased() { return outcome("logs hash \(logs) ≠ \(expected)") }
        let expected = try F.prestate(post, name: name)
        let addresses = Set(state.accounts.keys).union(expected.accounts.keys)
        for a in addresses.sorted() {
            let got = state.account(a), want = expected.account(a)
            guard got == want else { return outcome("account \(a): \(String(describing: got)) ≠ \(String(describing: want))") }
            let gotStorage = (state.storages[a] ?? [:]).filter { !$0.value.isZero }, wantStorage = (expected.storages[a] ?? [:]).filter { !$0.value.isZero }
            guard gotStorage == wantStorage else { return outcome("storage of \(a): \(gotStorage) ≠ \(wantStorage)") }
        }
        return outcome(nil)
    }
}
