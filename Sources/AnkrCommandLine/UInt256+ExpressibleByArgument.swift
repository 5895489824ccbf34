import AnkrPrimitives
import ArgumentParser

/// A 256-bit number on the command line (an id, a wei amount without unit): decimal, or hex with `0x`.
/// Anything above 2^256 − 1 is refused rather than wrapped.
extension UInt256: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = try? UInt256(parsing: argument) else { return nil }
        self = value
    }
}
