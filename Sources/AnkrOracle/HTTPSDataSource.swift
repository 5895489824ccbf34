import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Where the oracle enclave reads a URL. ``HTTPSDataSource`` in production; tests may substitute.
public protocol DataSource: Sendable {
    /// The body of a successful GET, or a ``DataSourceError``.
    func fetch(_ url: String) async throws -> [UInt8]
}

/// Why a source could not be read; each maps to the error code the requester sees.
public enum DataSourceError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    case unavailable(String)
    case status(Int)
    case tooLarge(limit: Int)

    public var code: OracleErrorCode {
        switch self {
        case .invalidURL: return .invalidParams
        case .unavailable: return .sourceUnavailable
        case .status: return .sourceStatus
        case .tooLarge: return .responseTooLarge
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let u): return "\(u) is not an https URL"
        case .unavailable(let why): return "the source is unreachable: \(why)"
        case .status(let s): return "the source answered HTTP \(s)"
        case .tooLarge(let l): return "the source's answer exceeds \(l) bytes"
        }
    }
}

/// HTTPS GETs with certificates checked against the system's roots plus the enclave's own
/// additional trust roots (`--ca-file`), no redirects, a timeout per attempt, a bounded body, and
/// retries of transport failures and 5xx answers.
public final class HTTPSDataSource: DataSource {
    private let client: HTTPClient
    public let maxBytes: Int
    public let timeoutSeconds: Int64
    public let retries: Int

    /// `caFile`: a PEM file of extra roots to trust (a test's self-signed source, a private CA).
    public convenience init(caFile: String?, timeoutSeconds: Int64 = 5, maxBytes: Int = OracleJSON.maxBytes, retries: Int = 2) throws {
        var roots = [NIOSSLCertificate]()
        if let caFile {
            do { roots = try NIOSSLCertificate.fromPEMFile(caFile) } catch { throw DataSourceError.invalidURL("no certificates in \(caFile): \(error)") }
        }
        self.init(additionalTrustRoots: roots, timeoutSeconds: timeoutSeconds, maxBytes: maxBytes, retries: retries)
    }

    public init(additionalTrustRoots: [NIOSSLCertificate] = [], timeoutSeconds: Int64 = 5, maxBytes: Int = OracleJSON.maxBytes, retries: Int = 2) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !additionalTrustRoots.isEmpty { tls.additionalTrustRoots = [.certificates(additionalTrustRoots)] }
        let config = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow,
                                              timeout: .init(connect: .seconds(timeoutSeconds), read: .seconds(timeoutSeconds)))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        self.maxBytes = maxBytes; self.timeoutSeconds = timeoutSeconds; self.retries = retries
    }

    public func fetch(_ url: String) async throws -> [UInt8] {
        guard url.count <= 2_048, let parsed = URL(string: url), parsed.scheme == "https", parsed.host != nil else { throw DataSourceError.invalidURL(url) }
        var attempt = 0
        while true {
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .GET
                request.headers.add(name: "User-Agent", value: "ankr-oracle/1")
                let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
                guard response.status == .ok else {
                    let error = DataSourceError.status(Int(response.status.code))
                    if response.status.code >= 500, attempt < retries { throw Retry(error) }
                    throw error
                }
                do { return Array(buffer: try await response.body.collect(upTo: maxBytes)) } catch is NIOTooManyBytesError {
                    throw DataSourceError.tooLarge(limit: maxBytes)
                }
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
    }

    private struct Retry: Error { let error: DataSourceError; init(_ e: DataSourceError) { error = e } }

    /// Closes the connections; call it before the source is released (AsyncHTTPClient requires it).
    public func shutdown() async throws { try await client.shutdown() }
    /// ``shutdown()`` from synchronous code (never from an event loop).
    public func shutdownSync() throws { try client.syncShutdown() }
}
