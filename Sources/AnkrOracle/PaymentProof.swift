import AnkrCrypto
import AnkrPrimitives
import Foundation

/// What a payment-proof request asks a bank (request kind ``OracleRequestKind/payment``): did a
/// transfer of `amount` (in the currency's minor units: pence, cents, yen) in `currency` to
/// `creditorAccount` (identified under `creditorScheme`, with `creditorSecondary` when the bank
/// needs one: a building society's roll number) with `reference` settle? `url` is the bank's
/// payment-status resource, read with the private envelope's headers (its bearer token).
public struct PaymentQuery: Sendable, Equatable {
    public let url: String
    public let reference: String
    public let amount: UInt256
    public let currency: String
    public let creditorAccount: String
    /// The Open Banking `SchemeName` of the account (`UK.OBIE.IBAN`, `UK.OBIE.SortCodeAccountNumber`…), compared exactly.
    public let creditorScheme: String
    /// The account's `SecondaryIdentification` (a roll number), empty for none: compared like the account, and an
    /// empty one matches only a payment that names none (at a building society every member shares the account number).
    public let creditorSecondary: String

    /// The longest reference or account, in UTF-8 bytes (Open Banking allows 35 and 256).
    public static let maxFieldBytes = 256
    static let types: [ABIType] = [.string, .string, .uint(bits: 256), .string, .string, .string, .string]

    /// Why payment params were refused.
    public struct Malformed: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ why: String) { description = why }
    }

    public init(url: String, reference: String, amount: UInt256, currency: String, creditorAccount: String, creditorScheme: String,
                creditorSecondary: String = "") throws {
        guard !reference.isEmpty, reference.utf8.count <= Self.maxFieldBytes, !creditorAccount.isEmpty, creditorAccount.utf8.count <= Self.maxFieldBytes,
              !creditorScheme.isEmpty, creditorScheme.utf8.count <= Self.maxFieldBytes, creditorSecondary.utf8.count <= Self.maxFieldBytes else {
            throw Malformed("the reference, the creditor account and its scheme are 1…\(Self.maxFieldBytes) bytes, a secondary identification at most \(Self.maxFieldBytes)")
        }
        guard PaymentProof.isCurrencyCode(currency) else { throw Malformed("\(currency) is not an ISO 4217 code (three capital letters)") }
        self.url = url; self.reference = reference; self.amount = amount; self.currency = currency; self.creditorAccount = creditorAccount
        self.creditorScheme = creditorScheme; self.creditorSecondary = creditorSecondary
    }

    /// Reads `abi(string url, string reference, uint256 amount, string currency, string creditorAccount, string creditorScheme,
    /// string creditorSecondary)`.
    public init(params: [UInt8]) throws {
        guard let v = try? ABI.decode(Self.types, from: params), case .string(let url) = v[0], case .string(let reference) = v[1],
              let amount = v[2].uintValue, case .string(let currency) = v[3], case .string(let account) = v[4], case .string(let scheme) = v[5],
              case .string(let secondary) = v[6] else {
            throw Malformed(Self.layout)
        }
        try self.init(url: url, reference: reference, amount: amount, currency: currency, creditorAccount: account, creditorScheme: scheme,
                      creditorSecondary: secondary)
    }

    static let layout = "payment params are abi(string url, string reference, uint256 amount, string currency, string creditorAccount, string creditorScheme, string creditorSecondary)"

    /// The request's params.
    public func encoded() throws -> [UInt8] {
        try ABI.encode([.string(url), .string(reference), .uint(amount), .string(currency), .string(creditorAccount), .string(creditorScheme),
                        .string(creditorSecondary)], types: Self.types)
    }

    /// The scheme a client assumes when none is given: an IBAN (two letters, two digits) or a UK sort code and account number.
    public static func defaultScheme(for account: String) -> String {
        let a = Array(PaymentProof.normalizedAccount(account).utf8)
        let isIBAN = a.count > 4 && a[0..<2].allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
            && a[2..<4].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        return isIBAN ? "UK.OBIE.IBAN" : "UK.OBIE.SortCodeAccountNumber"
    }
}

/// The payment-proof datagram's answer: the bank's word on one transfer, read from an Open Banking
/// (UK v3.1) domestic payment status, `{"Data": {"Status", "StatusUpdateDateTime", "Initiation":
/// {"InstructedAmount": {"Amount", "Currency"}, "CreditorAccount": {"SchemeName", "Identification",
/// "SecondaryIdentification"}, "RemittanceInformation": {"Reference"}}}}`.
///
/// `settled` only when the status is `AcceptedCreditSettlementCompleted` AND the amount (exactly, in minor
/// units), currency, creditor account (scheme, identification and secondary identification) and
/// reference all match the query; the other fields are what
/// the bank reported, so a "no" says why. `settledAt` is the status time (Unix seconds) of a settled
/// payment, 0 otherwise. `bank` is the host (and port, if the URL names one) the enclave read over
/// TLS, and `creditorAccountHash` the ``accountHash(scheme:identification:secondary:)`` of the account as queried:
/// a contract acting on the answer checks both, since the query itself is secret and could
/// otherwise name any server or account.
public struct PaymentProof: Sendable, Equatable {
    public let settled: Bool
    public let amount: UInt256
    public let currency: String
    public let reference: String
    public let settledAt: UInt64
    public let bank: String
    public let creditorAccountHash: H256

    /// The one Open Banking (v3.1) status that means the creditor's account was credited. Deliberately not
    /// `AcceptedSettlementCompleted`: it says only that the debtor's side finished, and the payment can still be
    /// returned before it reaches the creditor; nor the `…InProcess`/`Pending` ones.
    public static let settledStatuses: Set<String> = ["AcceptedCreditSettlementCompleted"]
    static let types: [ABIType] = [.bool, .uint(bits: 256), .string, .string, .uint(bits: 64), .string, .fixedBytes(32)]

    public init(settled: Bool, amount: UInt256, currency: String, reference: String, settledAt: UInt64, bank: String, creditorAccountHash: H256) {
        self.settled = settled; self.amount = amount; self.currency = currency; self.reference = reference; self.settledAt = settledAt
        self.bank = bank; self.creditorAccountHash = creditorAccountHash
    }

    /// The answer to `query` from the bank's payment-status `document`. Throws ``OracleError/pathNotFound(_:)``
    /// for a missing field, another ``OracleError`` for a value that is not what the format says.
    public static func answer(_ query: PaymentQuery, document: OracleJSON) throws -> PaymentProof {
        func field(_ path: String) throws -> String {
            switch try JSONPointer(path).resolve(in: document) {
            case .string(let s), .number(let s):
                guard s.utf8.count <= PaymentQuery.maxFieldBytes else { throw OracleError.valueOutOfRange("\(path) is longer than \(PaymentQuery.maxFieldBytes) bytes") }
                return s
            default: throw OracleError.notANumber("\(path) is not a string")
            }
        }
        func optionalField(_ path: String) throws -> String {
            do { return try field(path) } catch OracleError.pathNotFound { return "" }
        }
        let status = try field("/Data/Status")
        let currency = try field("/Data/Initiation/InstructedAmount/Currency")
        guard isCurrencyCode(currency) else { throw OracleError.valueOutOfRange("the currency \(currency) is not an ISO 4217 code") }
        let amountText = try field("/Data/Initiation/InstructedAmount/Amount")
        guard let amount = minorUnits(amountText, currency: currency) else {
            throw OracleError.notANumber("the amount \(amountText) is not a \(currency) amount")
        }
        let account = try field("/Data/Initiation/CreditorAccount/Identification")
        let scheme = try field("/Data/Initiation/CreditorAccount/SchemeName")
        // Absent means none: an account without a roll number.
        let secondary = try optionalField("/Data/Initiation/CreditorAccount/SecondaryIdentification")
        let reference = try field("/Data/Initiation/RemittanceInformation/Reference")
        let matches = amount == query.amount && currency == query.currency && normalizedAccount(account) == normalizedAccount(query.creditorAccount)
            && scheme == query.creditorScheme && normalizedAccount(secondary) == normalizedAccount(query.creditorSecondary) && reference == query.reference
        var settledAt: UInt64 = 0
        let settled = matches && settledStatuses.contains(status)
        if settled {
            let time = try field("/Data/StatusUpdateDateTime")
            guard let t = unixTime(iso8601: time) else { throw OracleError.valueOutOfRange("StatusUpdateDateTime \(time) is not an ISO 8601 date-time") }
            settledAt = t
        }
        guard let host = bank(of: query.url) else { throw OracleError.valueOutOfRange("\(query.url) names no host") }
        return PaymentProof(settled: settled, amount: amount, currency: currency, reference: reference, settledAt: settledAt, bank: host,
                            creditorAccountHash: accountHash(scheme: query.creditorScheme, identification: query.creditorAccount, secondary: query.creditorSecondary))
    }

    /// The answer's bytes.
    public func encoded() throws -> [UInt8] {
        try ABI.encode([.bool(settled), .uint(amount), .string(currency), .string(reference), .uint(UInt256(settledAt)), .string(bank),
                        .fixedBytes(creditorAccountHash.bytes)], types: Self.types)
    }

    /// Reads an answer back; nil when `data` is not one.
    public init?(decoding data: [UInt8]) {
        guard let v = try? ABI.decode(Self.types, from: data), case .bool(let settled) = v[0], let amount = v[1].uintValue, case .string(let currency) = v[2],
              case .string(let reference) = v[3], let at = v[4].uintValue?.uint64, case .string(let bank) = v[5],
              let hash = try? H256(v[6].fixedBytesValue ?? []) else { return nil }
        self.init(settled: settled, amount: amount, currency: currency, reference: reference, settledAt: at, bank: bank, creditorAccountHash: hash)
    }

    public static func isCurrencyCode(_ s: String) -> Bool { s.utf8.count == 3 && s.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) } }

    /// ISO 4217 minor-unit exponents other than 2.
    private static let exponents: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0,
        "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3, "CLF": 4, "UYW": 4,
    ]

    /// Digits after the point in `currency`'s minor unit (2 unless ISO 4217 says otherwise).
    public static func exponent(of currency: String) -> Int { exponents[currency] ?? 2 }

    /// An Open Banking amount (`^\d{1,13}(\.\d{1,5})?$`) in `currency`'s minor units, exactly: nil when it
    /// is not of that form or has non-zero digits below the minor unit (12.345 GBP is no amount of pence).
    public static func minorUnits(_ text: String, currency: String) -> UInt256? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, (1...13).contains(whole.count), whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard parts.count == 1 || (1...5).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let places = exponent(of: currency)
        if fraction.count > places {
            guard fraction.dropFirst(places).allSatisfy({ $0 == "0" }) else { return nil }
            fraction = String(fraction.prefix(places))
        }
        fraction += String(repeating: "0", count: places - fraction.count)
        // At most 13 + 4 digits: fits.
        let digits = (String(whole) + fraction).drop { $0 == "0" }
        return UInt256(digits.isEmpty ? "0" : String(digits))
    }

    /// An account identification compared as banks print it: without spaces, in upper case.
    public static func normalizedAccount(_ s: String) -> String { s.filter { $0 != " " }.uppercased() }

    /// What the answer and a contract compare: keccak256(abi(string scheme, string identification, string secondary)), the
    /// identifications normalized (no spaces, upper case), so a lease's hash pins the scheme and the roll number too.
    public static func accountHash(scheme: String, identification: String, secondary: String = "") -> H256 {
        let encoded = (try? ABI.encode([.string(scheme), .string(normalizedAccount(identification)), .string(normalizedAccount(secondary))],
                                       types: [.string, .string, .string])) ?? []
        return Keccak256.h256(encoded)
    }

    /// `host[:port]` of an https URL, the host in lower case; nil without a host.
    public static func bank(of url: String) -> String? {
        guard let parsed = URL(string: url), let host = parsed.host?.lowercased(), !host.isEmpty else { return nil }
        return parsed.port.map { "\(host):\($0)" } ?? host
    }

    /// Unix seconds of an ISO 8601 date-time as Open Banking writes it: `YYYY-MM-DDThh:mm:ss`, optional
    /// fraction (cut), and `Z` or `±hh:mm`. Nil for anything else or a time before 1970.
    public static func unixTime(iso8601 text: String) -> UInt64? {
        let b = Array(text.utf8)
        func number(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var n = 0
            for c in b[at..<(at + count)] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) else { return nil }
                n = n * 10 + Int(c - UInt8(ascii: "0"))
            }
            return n
        }
        func byte(_ at: Int) -> UInt8? { at < b.count ? b[at] : nil }
        guard let year = number(0, 4), byte(4) == UInt8(ascii: "-"), let month = number(5, 2), byte(7) == UInt8(ascii: "-"), let day = number(8, 2),
              byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t"), let hour = number(11, 2), byte(13) == UInt8(ascii: ":"),
              let minute = number(14, 2), byte(16) == UInt8(ascii: ":"), let second = number(17, 2),
              (1...12).contains(month), hour < 24, minute < 60, second < 61 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...days[month - 1]).contains(day) else { return nil }
        var i = 19
        if byte(i) == UInt8(ascii: ".") {
            i += 1
            let start = i
            while let c = byte(i), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c), i - start < 9 { i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        if byte(i) == UInt8(ascii: "Z") || byte(i) == UInt8(ascii: "z") {
            i += 1
        } else if let sign = byte(i), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            guard let oh = number(i + 1, 2), byte(i + 3) == UInt8(ascii: ":"), let om = number(i + 4, 2), oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // Days from 1970-01-01 (Howard Hinnant's days_from_civil); the year has 4 digits, so nothing overflows.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let daysSinceEpoch = era * 146_097 + doe - 719_468
        let seconds = daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return seconds >= 0 ? UInt64(seconds) : nil
    }
}
