/// What a NOS request asks for. The low 7 bits name the kind; the high bit marks a private request
/// (params encrypted to the enclave, the answer encrypted to chosen readers).
public enum OracleRequestKind: UInt8, Sendable, CaseIterable {
    /// One URL and a JSON pointer: `params = abi(string url, string pointer, uint8 decimals)`;
    /// the answer is `abi(int256 value)` scaled by 10^decimals, or with decimals = 255 `abi(string text)`.
    case single = 1
    /// The median of several sources: `params = abi(string[] urls, string pointer, uint8 decimals, uint8 quorum, uint16 maxDeviationBps)`;
    /// the answer is `abi(int256 median, uint8 agreeing)`; fails when fewer than `quorum` agree.
    case median = 2
    /// A whole JSON or XML document: `params = abi(string url, uint8 format, string[] paths)` (format 0 JSON
    /// with JSON pointers, 1 XML with XML paths); the answer is `abi(bytes32 documentHash, string[] values)`.
    case bulk = 3

    public static let privateFlag: UInt8 = 0x80

    /// The kind and privacy of a request type byte, or nil for an unknown type.
    public static func parse(_ type: UInt8) -> (kind: OracleRequestKind, isPrivate: Bool)? {
        guard let kind = OracleRequestKind(rawValue: type & ~privateFlag) else { return nil }
        return (kind, type & privateFlag != 0)
    }
}

/// The `error` of a delivery. Whose fault it is decides the fees: only a requester's own mistake
/// (`invalidParams`, or a URL that points into the relay's own network: `destinationNotAllowed`)
/// keeps the whole fee; for every other failure the requester gets back all but the minimum fee,
/// which pays for the delivery.
public enum OracleErrorCode: UInt64, Sendable, CaseIterable {
    case none = 0
    case invalidParams = 1
    case sourceUnavailable = 2
    case sourceStatus = 3
    case badData = 4
    case pathNotFound = 5
    case noQuorum = 6
    case responseTooLarge = 7
    /// A source's host resolves to a loopback, private, link-local or other non-public address.
    case destinationNotAllowed = 8

    /// Probing a relay's internal network costs the prober the whole fee.
    public var isRequesterFault: Bool { self == .invalidParams || self == .destinationNotAllowed }
}
