import AnkrCommandLine
import AnkrIdentity
import AnkrPrimitives
import ArgumentParser

/// A claim type on the command line (`--type`): `on-time` (also `ontime`, `paid-on-time`), `late`
/// (also `paid-late`), in any case, or the type's number (decimal or `0x`).
struct ClaimType: Sendable, Hashable, ExpressibleByArgument, CustomStringConvertible {
    /// The type as the Identity contract stores it.
    let value: UInt256

    init(_ value: UInt256) { self.value = value }

    init?(argument: String) {
        switch argument.lowercased() {
        case "on-time", "ontime", "paid-on-time": value = IdentityContract.paymentOnTime
        case "late", "paid-late": value = IdentityContract.paymentLate
        default:
            guard let number = try? UInt256(parsing: argument) else { return nil }
            value = number
        }
    }

    var description: String { value.description }
}
