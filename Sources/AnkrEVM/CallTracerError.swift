/// Why ``CallTracer`` has no result to give.
public enum CallTracerError: Error, Equatable, CustomStringConvertible {
    /// The frames, their input and output and their logs grew past ``CallTracer/maxResultBytes`` and recording stopped.
    case traceTooLarge(limitBytes: Int)

    public var description: String {
        switch self {
        case .traceTooLarge(let limit):
            return "call trace exceeds \(limit) bytes: trace with onlyTopCall, or without logs"
        }
    }
}
