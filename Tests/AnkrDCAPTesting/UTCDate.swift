import SwiftASN1

/// Unix seconds as the calendar dates DCAP documents carry: ISO 8601 (`2026-01-15T00:00:00Z`) in TCB info and QE
/// identity, UTCTime or GeneralizedTime in CRLs (UTCTime through 2049, as RFC 5280 asks).
struct UTCDate {
    let year: Int
    let month: Int
    let day: Int
    let hour: Int
    let minute: Int
    let second: Int

    /// Civil date from days since 1970-01-01 (the proleptic Gregorian calendar, counted in 400-year eras).
    init(unixSeconds: UInt64) {
        let days = Int(unixSeconds / 86_400)
        let secondsOfDay = Int(unixSeconds % 86_400)
        hour = secondsOfDay / 3_600
        minute = secondsOfDay % 3_600 / 60
        second = secondsOfDay % 60
        let shifted = days + 719_468                      // days since 0000-03-01
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153          // March = 0
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form Intel's TCB info and QE identity use.
    var iso8601: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let paddedYear = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(paddedYear)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))Z"
    }

    /// Appends the date as an X.509 `Time`.
    func serialize(into coder: inout DER.Serializer) throws {
        if year >= 1950 && year < 2050 {
            try coder.serialize(UTCTime(year: year, month: month, day: day, hours: hour, minutes: minute, seconds: second))
        } else {
            try coder.serialize(GeneralizedTime(year: year, month: month, day: day, hours: hour, minutes: minute,
                                                seconds: second, fractionalSeconds: 0))
        }
    }
}
