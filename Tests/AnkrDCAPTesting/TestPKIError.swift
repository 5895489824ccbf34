/// What went wrong while minting test DCAP evidence. Minting fails only on arguments a test got wrong
/// (a field of the wrong length, a date the encodings cannot hold) or when a library refuses to encode.
public enum TestPKIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `field` must be exactly `expected` bytes long.
    case wrongLength(field: String, expected: Int, actual: Int)
    /// A TD report 1.5 (with TEE TCB SVN 2 and MRSERVICETD) travels only in a version 5 quote.
    case tdReport15NeedsQuoteV5
    /// TDX quotes exist as version 4 and 5 only.
    case unsupportedTDXQuoteVersion(UInt16)
    /// No valid P-256 scalar came out of the seed for `label` (astronomically unlikely).
    case noKeyForSeed(label: String)
    /// swift-certificates refused to mint the certificate for `subject`.
    case certificateNotMinted(subject: String)
    /// SwiftASN1 refused to encode `what`.
    case notEncodable(what: String)
    /// swift-crypto refused to sign `what`.
    case notSigned(what: String)
    /// `section` is larger than its length field can say.
    case tooLong(section: String, length: Int)

    public var description: String {
        switch self {
        case .wrongLength(let field, let expected, let actual):
            return "\(field) must be \(expected) bytes, got \(actual)"
        case .tdReport15NeedsQuoteV5:
            return "a TD report 1.5 needs a version 5 quote"
        case .unsupportedTDXQuoteVersion(let version):
            return "TDX quote version \(version) is not 4 or 5"
        case .noKeyForSeed(let label):
            return "no P-256 key could be derived from the seed for \(label)"
        case .certificateNotMinted(let subject):
            return "could not mint the certificate for \(subject)"
        case .notEncodable(let what):
            return "could not DER-encode \(what)"
        case .notSigned(let what):
            return "could not sign \(what)"
        case .tooLong(let section, let length):
            return "\(section) is too long for its length field (\(length) bytes)"
        }
    }
}
