import AnkrPrimitives

/// Why collateral, its TCB info or QE identity was refused, or why a platform or quoting enclave matched no level.
///
/// `field` values are paths into the document (`tcbLevels[3].tcb.pcesvn`) so a refusal names the exact input.
public enum CollateralError: Error, Equatable, Sendable, CustomStringConvertible {
    // Shape of the documents.
    case documentTooLarge(CollateralDocument, size: Int, limit: Int)
    case malformedJSON(CollateralDocument, reason: String)
    case missingField(CollateralDocument, field: String)
    case unknownField(CollateralDocument, field: String)
    case wrongType(CollateralDocument, field: String, expected: String, found: String)
    case fieldTooLarge(CollateralDocument, field: String, size: Int, limit: Int)
    case tooManyElements(CollateralDocument, field: String, count: Int, limit: Int)
    case invalidHex(CollateralDocument, field: String)
    case wrongLength(CollateralDocument, field: String, expected: Int, actual: Int)
    case integerOutOfRange(CollateralDocument, field: String)
    case invalidDate(CollateralDocument, field: String)
    case unknownTCBStatus(CollateralDocument, field: String)
    case unsupportedID(CollateralDocument, id: String)
    case unsupportedVersion(CollateralDocument, version: Int64)
    // Authenticity and freshness of the signed documents.
    case invalidSignature(CollateralDocument)
    case issueDateInFuture(CollateralDocument, issueDate: UInt64, time: UInt64)
    case expired(CollateralDocument, nextUpdate: UInt64, time: UInt64)
    case wrongTEEType(CollateralDocument, id: String, teeType: TEEType)
    // Platform TCB matching.
    case invalidInput(field: String, expected: Int, actual: Int)
    case fmspcMismatch(expected: [UInt8], actual: [UInt8])
    case pceIDMismatch(expected: [UInt8], actual: [UInt8])
    case noMatchingTCBLevel
    case missingTDXReport
    case missingTDXModule
    case tdxModuleIdentityNotFound(id: String)
    case tdxModuleSignerMismatch(expected: [UInt8], actual: [UInt8])
    case tdxModuleAttributesMismatch(expected: [UInt8], mask: [UInt8], actual: [UInt8])
    case tdxModuleSVNTooLow(svn: UInt8)
    /// A TD report 1.5's current TDX TCB (TEE_TCB_SVN2) could not be rated, for the reason given.
    indirect case currentTDXTCB(CollateralError)
    // Quoting enclave identity.
    case qeSignerMismatch(expected: [UInt8], actual: [UInt8])
    case qeDebugEnabled
    case qeProductIDMismatch(expected: UInt16, actual: UInt16)
    case qeMiscSelectMismatch(expected: UInt32, actual: UInt32)
    case qeAttributesMismatch(expected: [UInt8], mask: [UInt8], actual: [UInt8])
    case qeSVNTooLow(svn: UInt16)
    // The combined status.
    case revoked(advisoryIDs: [String])

    public var description: String {
        switch self {
        case .documentTooLarge(let doc, let size, let limit):
            return "\(doc.rawValue) is \(size) bytes, more than the limit of \(limit)"
        case .malformedJSON(let doc, let reason): return "\(doc.rawValue) is not JSON: \(reason)"
        case .missingField(let doc, let field): return "\(doc.rawValue) lacks \(field)"
        case .unknownField(let doc, let field): return "\(doc.rawValue) has an unknown field \(field)"
        case .wrongType(let doc, let field, let expected, let found):
            return "\(doc.rawValue) \(field) should be \(expected), found \(found)"
        case .fieldTooLarge(let doc, let field, let size, let limit):
            return "\(doc.rawValue) \(field) is \(size) long, more than the limit of \(limit)"
        case .tooManyElements(let doc, let field, let count, let limit):
            return "\(doc.rawValue) \(field) has \(count) elements, more than the limit of \(limit)"
        case .invalidHex(let doc, let field): return "\(doc.rawValue) \(field) is not hex"
        case .wrongLength(let doc, let field, let expected, let actual):
            return "\(doc.rawValue) \(field) is \(actual) bytes, expected \(expected)"
        case .integerOutOfRange(let doc, let field): return "\(doc.rawValue) \(field) is out of range"
        case .invalidDate(let doc, let field): return "\(doc.rawValue) \(field) is not a date of the form YYYY-MM-DDThh:mm:ssZ"
        case .unknownTCBStatus(let doc, let field): return "\(doc.rawValue) \(field) is not a known TCB status"
        case .unsupportedID(let doc, let id): return "\(doc.rawValue) id \"\(id)\" is not supported"
        case .unsupportedVersion(let doc, let version): return "\(doc.rawValue) version \(version) is not supported"
        case .invalidSignature(let doc): return "\(doc.rawValue) signature does not verify with its signing certificate"
        case .issueDateInFuture(let doc, let issueDate, let time):
            return "\(doc.rawValue) issue date \(issueDate) is after the verification time \(time)"
        case .expired(let doc, let nextUpdate, let time):
            return "\(doc.rawValue) expired: next update \(nextUpdate) is before the verification time \(time)"
        case .wrongTEEType(let doc, let id, let teeType):
            return "\(doc.rawValue) \"\(id)\" does not apply to a \(teeType.rawValue) quote"
        case .invalidInput(let field, let expected, let actual):
            return "platform input \(field) is \(actual) bytes, expected \(expected)"
        case .fmspcMismatch(let expected, let actual):
            return "TCB info FMSPC \(expected.hex) differs from the PCK certificate's \(actual.hex)"
        case .pceIDMismatch(let expected, let actual):
            return "TCB info PCE ID \(expected.hex) differs from the PCK certificate's \(actual.hex)"
        case .noMatchingTCBLevel: return "no TCB level of the TCB info matches the platform's TCB"
        case .missingTDXReport: return "a TDX platform needs the TD report's TEE TCB SVN, MRSIGNERSEAM and SEAMATTRIBUTES"
        case .missingTDXModule: return "TDX TCB info lacks tdxModule"
        case .tdxModuleIdentityNotFound(let id): return "TCB info has no TDX module identity \(id)"
        case .tdxModuleSignerMismatch(let expected, let actual):
            return "TDX module MRSIGNERSEAM \(actual.hex) differs from the expected \(expected.hex)"
        case .tdxModuleAttributesMismatch(let expected, let mask, let actual):
            return "TDX module SEAMATTRIBUTES \(actual.hex) do not match \(expected.hex) under mask \(mask.hex)"
        case .tdxModuleSVNTooLow(let svn): return "TDX module SVN \(svn) is below every TDX module TCB level"
        case .currentTDXTCB(let reason): return "the TD's current TDX TCB (TEE_TCB_SVN2) is not rated: \(reason)"
        case .qeSignerMismatch(let expected, let actual):
            return "quoting enclave MRSIGNER \(actual.hex) differs from the QE identity's \(expected.hex)"
        case .qeDebugEnabled: return "quoting enclave runs in debug mode"
        case .qeProductIDMismatch(let expected, let actual):
            return "quoting enclave ISVPRODID \(actual) differs from the QE identity's \(expected)"
        case .qeMiscSelectMismatch(let expected, let actual):
            return "quoting enclave MISCSELECT \(actual) (masked) differs from the QE identity's \(expected)"
        case .qeAttributesMismatch(let expected, let mask, let actual):
            return "quoting enclave ATTRIBUTES \(actual.hex) do not match \(expected.hex) under mask \(mask.hex)"
        case .qeSVNTooLow(let svn): return "quoting enclave ISVSVN \(svn) is below every QE identity TCB level"
        case .revoked(let advisoryIDs):
            return "TCB status is Revoked (advisories: \(advisoryIDs.joined(separator: ", ")))"
        }
    }
}
