import ArgumentParser

/// A failure the user caused or can fix: printed as one line on stderr, exit status 1.
public struct CommandFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// Runs a command body so every error ends as one `<program>: error: …` line on stderr and exit status 1,
/// instead of a trap or a usage dump.
public func reportingErrors(program: String = "ankr", _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch {
        var stderr = StandardError()
        print("\(program): error: \(error)", to: &stderr)
        throw ExitCode(1)
    }
}

/// Standard error as a `TextOutputStream`, for `print(_:to:)`.
public struct StandardError: TextOutputStream {
    public init() {}
    public mutating func write(_ string: String) {
        FileHandleStderr.write(string)
    }
}
