import AnkrPrimitives
import AnkrSandbox

/// What one metered subtask inside an enclave gave: its output, the fuel the enclave counted,
/// whether the lottery drawn for that fuel won and, on a win, the enclave's signature over the
/// ``PoUWStatement`` it built from that run — the only way a statement gets signed.
public struct MinedSubtask: Hashable, Sendable {
    public var output: [UInt8]
    public var fuelUsed: UInt64
    public var won: Bool
    /// 65 bytes r ‖ s ‖ recovery id over the winning statement's hash; empty when the draw lost.
    public var statementSignature: [UInt8]

    public init(output: [UInt8], fuelUsed: UInt64, won: Bool, statementSignature: [UInt8] = []) {
        self.output = output; self.fuelUsed = fuelUsed; self.won = won; self.statementSignature = statementSignature
    }

    /// The sandbox's view of the run (what validators re-execute and compare).
    public var result: SubtaskResult { SubtaskResult(output: output, fuelUsed: fuelUsed) }
}
