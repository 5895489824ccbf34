extension OracleEnclave {
    /// Why the enclave could not answer a request. Each case maps to the error code delivered on
    /// chain (``code``), which decides who pays; the description is the relay's log line.
    enum Failure: Error, CustomStringConvertible {
        /// The request's type byte names no ``OracleRequestKind``.
        case unknownRequestType(UInt8)
        /// A private request's params are not encrypted to this enclave's key.
        case privateParamsNotForThisEnclave
        /// A private request's decrypted params are no ``OraclePrivateEnvelope`` (the reason says which part).
        case malformedPrivateParams(String)
        /// A private envelope bound to another requester than the one who made the request.
        case wrongRequester
        /// A private payment-proof envelope that names no requester (a payment query must be bound).
        case unboundPayment
        /// A reader key of a private request is not a secp256k1 public key.
        case readerKeyNotOnCurve
        /// The params do not have the ABI layout of their request kind.
        case malformedParams(OracleRequestKind)
        /// Payment params that are not a ``PaymentQuery`` (the reason says which part).
        case malformedPayment(String)
        /// The bank's payment status is not the Open Banking shape (a value of the wrong form).
        case badPaymentStatus(OracleError)
        /// More decimals than an int256 answer can scale to (255 asks for text).
        case decimalsOutOfRange(Int)
        /// A JSON pointer or XML path that does not parse.
        case invalidPath(OracleError)
        /// The path names nothing in the document.
        case pathNotFound(OracleError)
        /// The source refused or could not be read (its own error code).
        case source(DataSourceError)
        /// The source failed in a way it did not classify.
        case sourceFailed(any Error)
        /// The source's document is not JSON (or XML) the enclave reads.
        case badDocument(OracleError)
        /// The value at the path is neither a number nor a numeric string.
        case notANumber
        /// The value at the path is a number the answer cannot carry.
        case badNumber(OracleError)
        /// A text answer was asked for an object or array.
        case notAScalar
        /// Too few sources agree for a median.
        case noQuorum(OracleError)

        /// The error code delivered with the answer (which carries no value).
        var code: OracleErrorCode {
            switch self {
            case .unknownRequestType, .privateParamsNotForThisEnclave, .malformedPrivateParams, .wrongRequester, .unboundPayment, .readerKeyNotOnCurve,
                 .malformedParams,
                 .malformedPayment, .decimalsOutOfRange, .invalidPath:
                return .invalidParams
            case .pathNotFound: return .pathNotFound
            case .source(let e): return e.code
            case .sourceFailed: return .sourceUnavailable
            case .badDocument, .notANumber, .badNumber, .notAScalar, .badPaymentStatus: return .badData
            case .noQuorum: return .noQuorum
            }
        }

        /// The cause as the requester reads it on chain: the description, except that a refused
        /// destination does not say what the host resolved to, which would map the relay's own
        /// network for whoever asks.
        var publicCause: String {
            if case .source(.destinationNotAllowed(let host, _, _)) = self {
                return "destination not allowed: \(host) does not resolve to a public address"
            }
            return description
        }

        var description: String {
            switch self {
            case .unknownRequestType(let type): return "unknown request type \(type)"
            case .privateParamsNotForThisEnclave: return "private params do not decrypt to this enclave's key"
            case .malformedPrivateParams(let why): return "malformed private params: \(why)"
            case .wrongRequester: return "the private params are bound to another requester"
            case .unboundPayment: return "a private payment query must name its requester"
            case .readerKeyNotOnCurve: return "a reader key is not a secp256k1 public key"
            case .malformedParams(.single): return "single params are abi(string url, string pointer, uint8 decimals)"
            case .malformedParams(.median):
                return "median params are abi(string[1…\(OracleEnclave.maxSources)] urls, string pointer, uint8 decimals, uint8 quorum ≤ urls, uint16 maxDeviationBps)"
            case .malformedParams(.bulk):
                return "bulk params are abi(string url, uint8 format (0 JSON, 1 XML), string[≤\(OracleEnclave.maxPaths)] paths)"
            case .malformedParams(.payment): return PaymentQuery.layout
            case .malformedPayment(let why): return why
            case .badPaymentStatus(let e): return "not an Open Banking payment status: \(e)"
            case .decimalsOutOfRange(let d): return "decimals must be at most 77 (or 255 for text), not \(d)"
            case .invalidPath(let e), .pathNotFound(let e), .badDocument(let e), .badNumber(let e), .noQuorum(let e): return e.description
            case .source(let e): return e.description
            case .sourceFailed(let e): return "\(e)"
            case .notANumber: return "the value is not a number"
            case .notAScalar: return "the value is an object or array, not a scalar"
            }
        }
    }
}
