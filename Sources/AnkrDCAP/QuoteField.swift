/// A region of a DCAP quote's binary layout, named in parse errors so a refusal says where the bytes were wrong.
public enum QuoteField: String, Sendable, Equatable {
    case header
    case bodyDescriptor = "body descriptor"
    case body
    case authDataSize = "signature data size"
    case signature = "quote signature"
    case attestationKey = "attestation key"
    case certificationDataHeader = "certification data header"
    case certificationData = "certification data"
    case qeReport = "QE report"
    case qeReportSignature = "QE report signature"
    case qeAuthDataSize = "QE authentication data size"
    case qeAuthData = "QE authentication data"
    case pckChainHeader = "PCK chain certification data header"
    case pckChain = "PCK certificate chain"
}
