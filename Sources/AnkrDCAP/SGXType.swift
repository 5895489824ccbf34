/// The SGX platform type named in a PCK certificate (extension 1.2.840.113741.1.13.1.5).
public enum SGXType: UInt8, Sendable, Equatable {
    case standard = 0
    case scalable = 1
    case scalableWithIntegrity = 2
}
