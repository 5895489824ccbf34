import AnkrPrimitives
import ArgumentParser

/// Bytes written as hex on the command line (call data, bytecode): an even number of hex digits,
/// `0x` optional; `0x` alone is no bytes.
struct HexBytes: Sendable, Hashable, ExpressibleByArgument, CustomStringConvertible {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    init?(argument: String) {
        guard let bytes = try? Hex.decode(argument) else { return nil }
        self.bytes = bytes
    }

    var description: String { bytes.hexPrefixed }
}
