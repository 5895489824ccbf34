import AnkrPrimitives
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Where the oracle enclave reads a URL. ``HTTPSDataSource`` in production; tests may substitute.
public protocol DataSource: Sendable {
    /// The body of a successful GET, or a ``DataSourceError``.
    func fetch(_ url: String) async throws -> [UInt8]
    /// The body of a successful request with the request's own headers and body (a private request's
    /// credentials), or a ``DataSourceError``.
    func fetch(_ request: SourceRequest) async throws -> [UInt8]
}

extension DataSource {
    /// A source that sends nothing but GETs answers plain requests and refuses the rest, rather than
    /// dropping a request's credentials.
    public func fetch(_ request: SourceRequest) async throws -> [UInt8] {
        guard request.isPlain else { throw DataSourceError.unavailable("this source sends no request headers or bodies") }
        return try await fetch(request.url)
    }
}

/// Why a source could not be read; each maps to the error code the requester sees.
public enum DataSourceError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    case unavailable(String)
    case status(Int)
    case tooLarge(limit: Int)
    /// The host resolves to an address the relay's policy refuses (loopback, private, link-local…).
    case destinationNotAllowed(host: String, address: String, kind: DestinationPolicy.AddressKind)

    public var code: OracleErrorCode {
        switch self {
        case .invalidURL: return .invalidParams
        case .unavailable: return .sourceUnavailable
        case .status(let s) where s == 401 || s == 403: return .sourceUnauthorized
        case .status: return .sourceStatus
        case .tooLarge: return .responseTooLarge
        case .destinationNotAllowed: return .destinationNotAllowed
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let u): return "\(u) is not an https URL"
        case .unavailable(let why): return "the source is unreachable: \(why)"
        case .status(let s): return "the source answered HTTP \(s)"
        case .tooLarge(let l): return "the source's answer exceeds \(l) bytes"
        case .destinationNotAllowed(let host, let address, let kind): return "destination not allowed: \(host) is \(address), a \(kind) address"
        }
    }
}

/// HTTPS GETs (POSTs when a private request carries a body) with certificates checked against the
/// system's roots plus the enclave's own additional trust roots (`--ca-file`), no redirects (a 3xx is an answer's status, never followed),
/// a timeout per attempt, a bounded body, and retries of transport failures and 5xx answers (GETs
/// only: a POST may not be idempotent, so it is sent once).
///
/// Destinations: the host is resolved here, every address it resolves to is checked against the
/// ``DestinationPolicy`` before any packet is sent, and the connection is pinned to a checked
/// address (AsyncHTTPClient's DNS override: it connects to that IP and still verifies the
/// certificate and sends SNI for the host name). A name that re-resolves elsewhere between the check
/// and the connection (DNS rebinding) therefore cannot move the connection, because it is never
/// resolved again. One client per fetch carries that pin, so pins never leak between requests.
public final class HTTPSDataSource: DataSource {
    private let configuration: HTTPClient.Configuration
    public let policy: DestinationPolicy
    public let maxBytes: Int
    public let timeoutSeconds: Int64
    public let retries: Int
    /// Addresses pinned by "host:port" instead of resolving the host (`ankr oracle run --resolve`, like
    /// curl's); still checked against the policy. Empty by default.
    public let pins: [String: [UInt8]]

    /// `caFile`: a PEM file of extra roots to trust (a test's self-signed source, a private CA).
    public convenience init(caFile: String?, policy: DestinationPolicy = DestinationPolicy(), timeoutSeconds: Int64 = 5,
                            maxBytes: Int = OracleJSON.maxBytes, retries: Int = 2, pins: [String: [UInt8]] = [:]) throws {
        var roots = [NIOSSLCertificate]()
        if let caFile {
            do { roots = try NIOSSLCertificate.fromPEMFile(caFile) } catch { throw DataSourceError.invalidURL("no certificates in \(caFile): \(error)") }
        }
        self.init(additionalTrustRoots: roots, policy: policy, timeoutSeconds: timeoutSeconds, maxBytes: maxBytes, retries: retries, pins: pins)
    }

    public init(additionalTrustRoots: [NIOSSLCertificate] = [], policy: DestinationPolicy = DestinationPolicy(), timeoutSeconds: Int64 = 5,
                maxBytes: Int = OracleJSON.maxBytes, retries: Int = 2, pins: [String: [UInt8]] = [:]) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !additionalTrustRoots.isEmpty { tls.additionalTrustRoots = [.certificates(additionalTrustRoots)] }
        configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow,
                                                 timeout: .init(connect: .seconds(timeoutSeconds), read: .seconds(timeoutSeconds)))
        self.policy = policy; self.maxBytes = maxBytes; self.timeoutSeconds = timeoutSeconds; self.retries = retries; self.pins = pins
    }

    /// The addresses `url`'s host may be reached at, all checked; throws ``DataSourceError/destinationNotAllowed(host:address:kind:)``
    /// when any of them is refused (a name that also points inside is refused whole), before anything is sent.
    public func checkedAddresses(of url: String) async throws -> (host: String, addresses: [[UInt8]]) {
        guard url.count <= 2_048, let parsed = URL(string: url), parsed.scheme?.lowercased() == "https", let raw = parsed.host, !raw.isEmpty else {
            throw DataSourceError.invalidURL(url)
        }
        // AsyncHTTPClient names the connection by the bracket-less host; the pin below must use the same key.
        let host = raw.hasPrefix("[") && raw.hasSuffix("]") ? String(raw.dropFirst().dropLast()) : raw
        let pin = pins.isEmpty ? nil : pins["\(host.lowercased()):\(parsed.port ?? 443)"]
        let addresses: [[UInt8]]
        if let pin { addresses = [pin] } else { addresses = try await DestinationPolicy.resolve(host) }
        guard !addresses.isEmpty else { throw DataSourceError.unavailable("\(host) resolves to no address") }
        for address in addresses {
            if let kind = policy.refusal(of: address) {
                throw DataSourceError.destinationNotAllowed(host: host, address: DestinationPolicy.text(of: address) ?? address.hex, kind: kind)
            }
        }
        return (host, addresses)
    }

    public func fetch(_ url: String) async throws -> [UInt8] { try await fetch(SourceRequest(url: url)) }

    public func fetch(_ source: SourceRequest) async throws -> [UInt8] {
        let url = source.url
        let (host, addresses) = try await checkedAddresses(of: url)
        let retries = source.method == "GET" ? self.retries : 0
        var attempt = 0
        while true {
            do {
                // Each attempt tries the next checked address.
                let address = addresses[attempt % addresses.count]
                guard let pinned = DestinationPolicy.text(of: address) else { throw DataSourceError.unavailable("\(host) resolved to an unprintable address") }
                return try await get(url, pinning: host, to: pinned)
            } catch let e as DataSourceError {
                throw e
            } catch let r as Retry {
                attempt += 1
                try? await Task.sleep(nanoseconds: UInt64(attempt) * 200_000_000)
                _ = r
            } catch {
                guard attempt < retries else { throw DataSourceError.unavailable("\(error)") }
                attempt += 1
                try? await Task.sleep(nanoseconds: UInt64(attempt) * 200_000_000)
            }
        }

        func get(_ url: String, pinning host: String, to address: String) async throws -> [UInt8] {
            var config = configuration
            config.dnsOverride = [host: address]
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
            do {
                let body = try await exchange(url, client)
                try await client.shutdown()
                return body
            } catch {
                try? await client.shutdown()
                throw error
            }
        }

        func exchange(_ url: String, _ client: HTTPClient) async throws -> [UInt8] {
            var request = HTTPClientRequest(url: url)
            request.method = source.body.isEmpty ? .GET : .POST
            request.headers.add(name: "User-Agent", value: "ankr-oracle/1")
            // The request's own headers replace the defaults of the same name (validated by SourceHeader: no
            // CR/LF, no Host or hop-by-hop header).
            for header in source.headers { request.headers.remove(name: header.name) }
            for header in source.headers { request.headers.add(name: header.name, value: header.value) }
            if !source.body.isEmpty {
                if !request.headers.contains(name: "Content-Type") { request.headers.add(name: "Content-Type", value: "application/json") }
                request.body = .bytes(ByteBuffer(bytes: source.body))
            }
            let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
            guard response.status == .ok else {
                let error = DataSourceError.status(Int(response.status.code))
                if response.status.code >= 500, attempt < retries { throw Retry(error) }
                throw error
            }
            do { return Array(buffer: try await response.body.collect(upTo: maxBytes)) } catch is NIOTooManyBytesError {
                throw DataSourceError.tooLarge(limit: maxBytes)
            }
        }
    }

    private struct Retry: Error { let error: DataSourceError; init(_ e: DataSourceError) { error = e } }
}
