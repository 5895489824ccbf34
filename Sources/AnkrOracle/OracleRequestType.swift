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
    /// A bank's word that a payment settled (see ``PaymentProof``): `params = abi(string url, string reference,
    /// uint256 amount, string currency, string creditorAccount, string creditorScheme, string creditorSecondary)`, the
    /// amount in the currency's minor units, the URL a bank's Open Banking payment-status endpoint. Private only in
    /// practice: its credentials ride in the envelope's headers, and the envelope must name its requester.
    /// The answer is `abi(bool settled, uint256 amount, string currency, string reference, uint64 settledAt,
    /// string bank, bytes32 creditorAccountHash)`.
    case payment = 4

    public static let privateFlag: UInt8 = 0x80

    /// The kind and privacy of a request type byte, or nil for an unknown type.
    public static func parse(_ type: UInt8) -> (kind: OracleRequestKind, isPrivate: Bool)? {
        guard let kind = OracleRequestKind(rawValue: type & ~privateFlag) else { return nil }
        return (kind, type & privateFlag != 0)
    }
}

/// The `error` of a delivery. Every answer, an error too, earns its deliverer the delivery's gas and
/// the oracle fee; the rest of the escrow always goes back to the requester.
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
    /// The source refused the request's credentials (HTTP 401 or 403): an authenticated private source whose
    /// token is wrong, expired or revoked. Not the requester's fault for the fees: a token can be revoked
    /// between the request and its answer.
    case sourceUnauthorized = 9

    /// Whether the error is the requester's own mistake (bad params, or a URL into the relay's own
    /// network). It no longer changes the fees: an enclave can be made to report either, so it earns
    /// nothing beyond the oracle fee.
    public var isRequesterFault: Bool { self == .invalidParams || self == .destinationNotAllowed }
}
