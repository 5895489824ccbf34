extension OracleEnclave {
    /// Why the enclave could not answer a request. Each case maps to the error code delivered on
    /// chain (``code``), which decides who pays; the description is the relay's log line.
    enum Failure: Error, CustomStringConvertible {
        /// The request's type byte names no ``OracleRequestKind``.
        case unknownRequestType(UInt8)
        /// A private request's params are not encrypted to this enclave's key.
        case privateParamsNotForThisEnclave
        /// A private request's decrypted params are not `abi(bytes params, bytes[] readers)` with 1…``maxReaders`` readers.
        case malformedPrivateParams
        /// A reader key of a private request is not a secp256k1 public key.
        case readerKeyNotOnCurve
        /// The params do not have the ABI layout of their request kind.
        case malformedParams(OracleRequestKind)
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
            case .unknownRequestType, .privateParamsNotForThisEnclave, .malformedPrivateParams, .readerKeyNotOnCurve, .malformedParams,
                 .decimalsOutOfRange, .invalidPath:
                return .invalidParams
            case .pathNotFound: return .pathNotFound
            case .source(let e): return e.code
            case .sourceFailed: return .sourceUnavailable
            case .badDocument, .notANumber, .badNumber, .notAScalar: return .badData
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
            case .malformedPrivateParams: return "private params are abi(bytes params, bytes[] readers) with 1…\(OracleEnclave.maxReaders) readers"
            case .readerKeyNotOnCurve: return "a reader key is not a secp256k1 public key"
            case .malformedParams(.single): return "single params are abi(string url, string pointer, uint8 decimals)"
            case .malformedParams(.median):
                return "median params are abi(string[1…\(OracleEnclave.maxSources)] urls, string pointer, uint8 decimals, uint8 quorum ≤ urls, uint16 maxDeviationBps)"
            case .malformedParams(.bulk):
                return "bulk params are abi(string url, uint8 format (0 JSON, 1 XML), string[≤\(OracleEnclave.maxPaths)] paths)"
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
