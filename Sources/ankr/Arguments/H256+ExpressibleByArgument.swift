import AnkrPrimitives
import ArgumentParser

/// A 32-byte hash or root on the command line: 64 hex digits, `0x` optional.
extension H256: ExpressibleByArgument {
    public init?(argument: String) {
        guard let hash = try? H256(hex: argument) else { return nil }
        self = hash
    }
}
