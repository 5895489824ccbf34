import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which addresses the oracle may connect to. A request names any URL; without this check it could
/// make the relay read its own network (a cloud metadata service at 169.254.169.254, an admin page
/// on 10.0.0.1, the node's RPC on 127.0.0.1) and publish the answer on chain. So every address a
/// host resolves to must be public unicast, unless the operator allows private destinations
/// (`ankr oracle run --allow-private-destinations`, for tests and development sources on loopback).
public struct DestinationPolicy: Sendable, Equatable {
    public var allowsPrivateDestinations: Bool

    public init(allowsPrivateDestinations: Bool = false) { self.allowsPrivateDestinations = allowsPrivateDestinations }

    /// What kind of destination an address is; everything but ``public`` is refused by default.
    public enum AddressKind: String, Sendable, Equatable, CustomStringConvertible {
        case `public`
        case unspecified
        case loopback
        case privateNetwork = "private network"
        case sharedAddressSpace = "shared address space (carrier-grade NAT)"
        case linkLocal = "link-local"
        case uniqueLocal = "unique local"
        case multicast
        case reserved

        public var description: String { rawValue }
    }

    /// The refusal for `address` (4 bytes IPv4 or 16 bytes IPv6), or nil when it may be contacted.
    public func refusal(of address: [UInt8]) -> AddressKind? {
        let kind = Self.kind(of: address)
        return kind == .public || allowsPrivateDestinations ? nil : kind
    }

    /// Classifies a raw address. IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`,
    /// translated `::ffff:0:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4
    /// `2002:aabb:ccdd::`) are judged by the IPv4 address they reach. Any other length is reserved.
    public static func kind(of address: [UInt8]) -> AddressKind {
        switch address.count {
        case 4: return kind(ipv4: address)
        case 16: return kind(ipv6: address)
        default: return .reserved
        }
    }

    private static func kind(ipv4 a: [UInt8]) -> AddressKind {
        switch (a[0], a[1]) {
        case (0, _): return a == [0, 0, 0, 0] ? .unspecified : .reserved  // 0/8: "this network"
        case (10, _): return .privateNetwork
        case (100, 64...127): return .sharedAddressSpace
        case (127, _): return .loopback
        case (169, 254): return .linkLocal
        case (172, 16...31): return .privateNetwork
        case (192, 168): return .privateNetwork
        case (192, 0) where a[2] == 0: return .reserved  // IETF protocol assignments
        case (198, 18...19): return .reserved  // benchmarking
        case (224...239, _): return .multicast
        case (240...255, _): return .reserved  // includes 255.255.255.255
        default: return .public
        }
    }

    private static func kind(ipv6 a: [UInt8]) -> AddressKind {
        let head = a.prefix(12)
        if head.allSatisfy({ $0 == 0 }) {
            let tail = Array(a.suffix(4))
            if tail == [0, 0, 0, 0] { return .unspecified }
            if tail == [0, 0, 0, 1] { return .loopback }
            return kind(ipv4: tail)  // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks)
        }
        if a.prefix(10).allSatisfy({ $0 == 0 }), a[10] == 0xff, a[11] == 0xff { return kind(ipv4: Array(a.suffix(4))) }  // mapped
        if a.prefix(8).allSatisfy({ $0 == 0 }), a[8] == 0xff, a[9] == 0xff, a[10] == 0, a[11] == 0 { return kind(ipv4: Array(a.suffix(4))) }  // translated
        if a.prefix(12) == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return kind(ipv4: Array(a.suffix(4))) }  // NAT64 well-known prefix
        if a[0] == 0x20, a[1] == 0x02 { return kind(ipv4: Array(a[2..<6])) }  // 6to4
        if a[0] == 0xff { return .multicast }
        if a[0] & 0xfe == 0xfc { return .uniqueLocal }  // fc00::/7
        if a[0] == 0xfe, a[1] & 0xc0 == 0x80 { return .linkLocal }  // fe80::/10
        if a[0] == 0xfe, a[1] & 0xc0 == 0xc0 { return .privateNetwork }  // fec0::/10, the deprecated site-local
        return .public
    }

    /// The raw bytes of an IPv4 or IPv6 literal (brackets allowed), or nil when `text` is not one.
    public static func literal(_ text: String) -> [UInt8]? {
        let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        if inet_pton(AF_INET6, bare, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// The text form of a raw address (`inet_ntop`), as a connection target.
    public static func text(of address: [UInt8]) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = address.count == 4 ? AF_INET : AF_INET6
        guard address.count == 4 || address.count == 16 else { return nil }
        let ok = address.withUnsafeBytes { raw in buffer.withUnsafeMutableBufferPointer { inet_ntop(family, raw.baseAddress, $0.baseAddress, socklen_t($0.count)) != nil } }
        guard ok else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Every address `host` resolves to (`getaddrinfo`, on a dispatch thread so no task is blocked),
    /// or the literal itself. Empty when the name does not resolve.
    public static func resolve(_ host: String) async throws -> [[UInt8]] {
        if let literal = literal(host) { return [literal] }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_family = AF_UNSPEC
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var list: UnsafeMutablePointer<addrinfo>?
                let status = getaddrinfo(host, nil, &hints, &list)
                guard status == 0 else {
                    let why = gai_strerror(status).map { String(cString: $0) } ?? "error \(status)"
                    continuation.resume(throwing: DataSourceError.unavailable("\(host) does not resolve: \(why)"))
                    return
                }
                defer { freeaddrinfo(list) }
                var out = [[UInt8]]()
                var node = list
                while let entry = node?.pointee {
                    if let sa = entry.ai_addr {
                        if entry.ai_family == AF_INET {
                            out.append(sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in withUnsafeBytes(of: p.pointee.sin_addr) { Array($0) } })
                        } else if entry.ai_family == AF_INET6 {
                            out.append(sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in withUnsafeBytes(of: p.pointee.sin6_addr) { Array($0) } })
                        }
                    }
                    node = entry.ai_next
                }
                var seen = Set<[UInt8]>()
                continuation.resume(returning: out.filter { seen.insert($0).inserted })
            }
        }
    }
}
