import AnkrPrimitives
import ArgumentParser

/// Bytes written as hex on the command line (call data, bytecode): an even number of hex digits,
/// `0x` optional; `0x` alone is no bytes.
public struct HexBytes: Sendable, Hashable, ExpressibleByArgument, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init?(argument: String) {
        guard let bytes = try? Hex.decode(argument) else { return nil }
        self.bytes = bytes
    }

    public var description: String { bytes.hexPrefixed }
}
