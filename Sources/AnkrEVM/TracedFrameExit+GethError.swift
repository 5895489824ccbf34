extension TracedFrameExit {
    /// The error geth's tracers show for this exit: nil on success, "execution reverted" for a revert, otherwise
    /// ``gethMessage(forFailure:)`` of the failure.
    public var gethError: String? {
        switch status {
        case .success: return nil
        case .revert: return "execution reverted"
        case .failure(let why): return Self.gethMessage(forFailure: why)
        }
    }

    /// geth's wording (core/vm/errors.go) for one of the interpreter's failures, so `debug_trace*` answers read as
    /// geth's do; a failure geth has no word for keeps Ankr's.
    public static func gethMessage(forFailure why: String) -> String {
        if why.hasSuffix("in a static call") { return "write protection" }
        if why.hasPrefix("out of gas for code deposit") { return "contract creation code storage out of gas" }
        if why.hasPrefix("out of gas") { return "out of gas" }
        if why.hasPrefix("undefined opcode ") { return "invalid opcode: opcode \(why.dropFirst("undefined opcode ".count)) not defined" }
        switch why {
        case "bad jump destination": return "invalid jump destination"
        case "INVALID": return "invalid opcode: INVALID"
        case "call depth": return "max call depth exceeded"
        case "insufficient balance": return "insufficient balance for transfer"
        case "address collision": return "contract address collision"
        case "code too large": return "max code size exceeded"
        case "code starts with 0xEF": return "invalid code: must not begin with 0xef"
        case "initcode too large": return "max initcode size exceeded"
        case "nonce overflow": return "nonce uint64 overflow"
        default: return why
        }
    }
}
