import AnkrPrimitives
import ArgumentParser

/// `--to 0x…` as an ``Address``: 40 hex digits (the `0x` is optional, as `Address(hex:)` has always
/// read them here); mixed case must carry a valid EIP-55 checksum, so a mistyped digit is refused
/// instead of sending to a stranger.
extension Address: ExpressibleByArgument {
    public init?(argument: String) {
        do { self = try Address(hex: argument) } catch {
            ArgumentRefusals.note(argument, error)
            return nil
        }
    }
}
