import ArgumentParser
import Foundation

/// The time a quote is verified at, as unix seconds or an ISO-8601 date and time: an input, never the
/// wall clock, so a verdict can be reproduced later (collateral and certificates expire).
struct VerificationTime: ExpressibleByArgument {
    /// Seconds since 1970-01-01T00:00:00Z.
    let seconds: UInt64

    /// `1750809600`, `2025-06-25T00:00:00Z` or `2025-06-25T02:00:00+02:00`; nil (a usage error) otherwise.
    init?(argument: String) {
        if !argument.isEmpty, argument.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = UInt64(argument) else { return nil }
            self.seconds = seconds
            return
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: argument) else { return nil }
        let interval = date.timeIntervalSince1970
        // Before 1970 or beyond what the calendar parser gives exactly: not a verification time.
        guard interval >= 0, interval < 253_402_300_800, let seconds = UInt64(exactly: interval.rounded(.down)) else { return nil }
        self.seconds = seconds
    }
}
