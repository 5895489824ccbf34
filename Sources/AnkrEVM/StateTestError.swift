import AnkrPrimitives

/// Why a GeneralStateTests or LegacyVMTests fixture could not be run (a case that runs and fails is a
/// ``StateTest/Result`` with `pass == false`, not an error).
public enum StateTestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String)
    /// The file is not JSON, or its top level is not an object of test cases.
    case notAFixtureFile(file: String)
    /// A test case is not a JSON object.
    case caseNotAnObject(test: String)
    /// A test case lacks sections its format requires (`fields` names them).
    case missingFields(test: String, fields: String)
    /// A post state's data, gas or value index points past its list.
    case indexOutOfRange(test: String, key: String, index: Int)
    /// The transaction has no usable `secretKey`.
    case noSecretKey(test: String)
    /// A pre- or post-state account's address or body does not parse.
    case badAccount(test: String, address: String)
    /// A quantity is absent or not a string (`found`: the JSON text, nil when absent).
    case expectedHexQuantity(found: String?)
    /// A quantity does not parse or exceeds 256 bits.
    case notA256BitQuantity(String)
    /// A quantity that must fit 64 bits does not.
    case doesNotFit64Bits(String)
    /// A value that must be an address is not (empty when absent).
    case notAnAddress(String)

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read \(path)"
        case .notAFixtureFile(let file): return "\(file) is not a JSON object"
        case .caseNotAnObject(let test): return "\(test) is not an object"
        case .missingFields(let test, let fields): return "\(test): missing \(fields)"
        case .indexOutOfRange(let test, let key, let index): return "\(test): \(key) index \(index) out of range"
        case .noSecretKey(let test): return "\(test): no secretKey"
        case .badAccount(let test, let address): return "\(test): bad account \(address)"
        case .expectedHexQuantity(let found): return "expected a hex quantity, got \(found ?? "nothing")"
        case .notA256BitQuantity(let text): return "\(text) is not a 256-bit quantity"
        case .doesNotFit64Bits(let text): return "\(text) does not fit 64 bits"
        case .notAnAddress(let text): return "\(text) is not an address"
        }
    }
}
