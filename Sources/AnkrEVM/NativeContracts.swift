import AnkrPrimitives

/// Contracts whose code is native rather than bytecode (the chain's system contracts).
///
/// The EVM asks before running an account's code: a call to an address this answers for is handed
/// over with the value already moved and a checkpoint taken, so a failed or reverted result is undone
/// with the rest of the frame, exactly like a bytecode callee.
public protocol NativeContracts: AnyObject {
    func handles(_ address: Address) -> Bool
    /// Runs the call. `evm` is the running machine, for calls the native contract makes in turn.
    func call(_ message: EVM.Message, evm: EVM) -> FrameResult
}
