import SwiftASN1

/// Reads an X.509 Time (UTCTime or GeneralizedTime) as unix seconds, without Foundation's calendar.
enum DERTime {
    static func unixSeconds(_ node: ASN1Node) throws -> Int64 {
        if node.identifier == .utcTime {
            let t = try UTCTime(derEncoded: node)
            return try seconds(year: t.year, month: t.month, day: t.day, hours: t.hours, minutes: t.minutes, seconds: t.seconds)
        }
        let t = try GeneralizedTime(derEncoded: node)
        return try seconds(year: t.year, month: t.month, day: t.day, hours: t.hours, minutes: t.minutes, seconds: t.seconds)
    }

    /// Unix seconds of a UTC date and time (proleptic Gregorian days counted as in Howard Hinnant's days-from-civil).
    private static func seconds(year: Int, month: Int, day: Int, hours: Int, minutes: Int, seconds: Int) throws -> Int64 {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else {
            throw ASN1Error.invalidASN1Object(reason: "date out of range")
        }
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = y / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + Int64(hours) * 3_600 + Int64(minutes) * 60 + Int64(seconds)
    }
}
