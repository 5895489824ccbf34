// libFuzzer harness: every system contract's dispatch, called as a stranger would call it. Compiled
// into the AnkrPlasma sources (PlasmaRoot and ChildChainRegistry are instrumented), linked against
// the debug build of the other contracts' modules.
//
// Input: a sequence of calls on one world state, each
//   contract (1 byte) · function (1 byte: one of the contract's own selectors, or 0xff for 4 raw
//   selector bytes) · caller (1 byte) · gas (3 bytes) · value (1 byte) · argument length (2 bytes) ·
//   arguments,
// so that later calls see the state earlier ones left.
// Properties: every call returns or throws `SystemCallError` (never traps, never fails on the
// in-memory state); a call that returns charged at most the gas it was given; time and memory are
// bounded by libFuzzer's -timeout and -rss_limit_mb.

import AnkrAssets
import AnkrChain
import AnkrEnclaveRegistry
import AnkrIdentity
import AnkrOracle
import AnkrPrimitives
import AnkrWork

private let contracts: [SystemContract] = [
    NOSContract(rules: OracleRules()),
    ChildChainRegistry(rules: PlasmaRules()),
    PlasmaRoot(rules: PlasmaRules()),
    IdentityContract(),
    AssetsContract(),
    WorkMarket(parameters: WorkMarket.Parameters()),
    EnclaveRegistry(rules: AttestationRules()),
]

/// Reads the input front to back; reads past the end give zeros, so every input is a valid program.
private struct Cursor {
    let bytes: [UInt8]
    var at = 0

    var isAtEnd: Bool { at >= bytes.count }

    mutating func byte() -> UInt8 {
        defer { at += 1 }
        return at < bytes.count ? bytes[at] : 0
    }

    mutating func take(_ n: Int) -> [UInt8] { (0..<n).map { _ in byte() } }

    mutating func int(_ width: Int) -> Int { take(width).reduce(0) { $0 << 8 | Int($1) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSystemContracts(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = Cursor(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    let state = WorldState()
    var number: UInt64 = 1
    while !input.isAtEnd {
        let contract = contracts[Int(input.byte()) % contracts.count]
        let choice = input.byte()
        let functions = contract.interface.functions
        let selector = choice == 0xff || functions.isEmpty ? input.take(4) : functions[Int(choice) % functions.count].selector
        let callerByte = input.byte()
        // A few distinct callers, the contract itself among them (calls it makes to itself).
        let caller = callerByte == 0xff ? contract.address
            : ((try? Address([UInt8](repeating: 0, count: 19) + [callerByte % 8 + 1])) ?? .zero)
        let gas = UInt64(input.int(3)) * 16
        let value = UInt256(UInt64(input.byte()) * 1_000_000_000_000_000)
        let arguments = input.take(min(input.int(2), 4096))
        let block = BlockContext(chainID: 1337, coinbase: .zero, number: number, timestamp: 1_700_000_000 + number * 5,
                                 gasLimit: 30_000_000, baseFee: .zero)
        number += UInt64(input.byte() % 4)

        let before = state.snapshot()
        do {
            // As the EVM does before running the code: the value moves to the contract.
            try state.addBalance(contract.address, value)
            let call = SystemCall(address: contract.address, caller: caller, value: value, input: selector + arguments,
                                  gasAvailable: gas, block: block)
            let result = try contract.call(call, state: state)
            guard result.gasUsed <= gas else {
                fatalError("\(contract.name) returned having used \(result.gasUsed) gas of \(gas)")
            }
        } catch is SystemCallError {
            state.revert(to: before)
        } catch {
            fatalError("\(contract.name) failed on an in-memory state with a non-call error: \(error)")
        }
    }
    return 0
}
