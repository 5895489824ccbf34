/// Why ``StructLogger`` has no result to give.
public enum StructLoggerError: Error, Equatable, CustomStringConvertible {
    /// The trace grew past ``StructLoggerConfig/maxResultBytes`` (at `step`, counting from 0) and stopped recording.
    case traceTooLarge(limitBytes: Int, step: Int)

    public var description: String {
        switch self {
        case .traceTooLarge(let limit, let step):
            return "trace exceeds \(limit) bytes at step \(step): disable memory or storage capture, or set a limit"
        }
    }
}
