import AnkrPrimitives

extension Transaction {
    /// Largest encoded transaction accepted, as go-ethereum's pool does (128 KiB).
    public static let maxEncodedSize = 128 * 1024

    // MARK: Decoding

    /// Decodes a raw transaction as `eth_sendRawTransaction` receives it: an RLP list for legacy,
    /// `type ‖ RLP(payload)` for typed envelopes. Field widths, canonical integers and address
    /// lengths are enforced here; signature validity is checked by ``recoverSender()``.
    public init(raw: [UInt8]) throws {
        guard let first = raw.first else { throw TransactionError.empty }
        guard raw.count <= Self.maxEncodedSize else { throw TransactionError.tooLarge(size: raw.count, limit: Self.maxEncodedSize) }
        if first >= 0xc0 {
            try self.init(legacyFields: Self.fields(raw, expected: 9))
            return
        }
        guard let type = TransactionType(rawValue: first), type != .legacy else { throw TransactionError.unsupportedType(first) }
        let payload = Array(raw.dropFirst())
        switch type {
        case .accessList: try self.init(accessListFields: Self.fields(payload, expected: 11))
        case .dynamicFee: try self.init(dynamicFeeFields: Self.fields(payload, expected: 12))
        case .legacy: throw TransactionError.unsupportedType(first)
        }
    }

    private static func fields(_ bytes: [UInt8], expected: Int) throws -> [RLPItem] {
        let items: [RLPItem]
        do {
            items = try RLP.decode(bytes).listValue()
        } catch let e as RLPError {
            throw TransactionError.malformed(field: "envelope", e)
        }
        guard items.count == expected else { throw TransactionError.wrongFieldCount(expected: expected, actual: items.count) }
        return items
    }

    private init(legacyFields f: [RLPItem]) throws {
        let v = try Self.u256(f[6], "v")
        let chainID: UInt64?
        if v == UInt256(27) || v == UInt256(28) {
            chainID = nil
        } else if v >= UInt256(35) {
            guard let id = ((v &- UInt256(35)) / UInt256(2)).uint64 else { throw TransactionError.invalidV(v) }
            chainID = id
        } else {
            throw TransactionError.invalidV(v)
        }
        self.init(type: .legacy, chainID: chainID, nonce: try Self.nonce(f[0]), gasPrice: try Self.u256(f[1], "gasPrice"),
                  maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: try Self.u64(f[2], "gasLimit"),
                  to: try Self.recipient(f[3]), value: try Self.u256(f[4], "value"), data: try Self.bytes(f[5], "data"),
                  accessList: [], v: v, r: try Self.u256(f[7], "r"), s: try Self.u256(f[8], "s"))
    }

    private init(accessListFields f: [RLPItem]) throws {
        self.init(type: .accessList, chainID: try Self.u64(f[0], "chainId"), nonce: try Self.nonce(f[1]),
                  gasPrice: try Self.u256(f[2], "gasPrice"), maxPriorityFeePerGas: .zero, maxFeePerGas: .zero,
                  gasLimit: try Self.u64(f[3], "gasLimit"), to: try Self.recipient(f[4]), value: try Self.u256(f[5], "value"),
                  data: try Self.bytes(f[6], "data"), accessList: try Self.accessList(f[7]), v: try Self.yParity(f[8]),
                  r: try Self.u256(f[9], "r"), s: try Self.u256(f[10], "s"))
    }

    private init(dynamicFeeFields f: [RLPItem]) throws {
        self.init(type: .dynamicFee, chainID: try Self.u64(f[0], "chainId"), nonce: try Self.nonce(f[1]), gasPrice: .zero,
                  maxPriorityFeePerGas: try Self.u256(f[2], "maxPriorityFeePerGas"),
                  maxFeePerGas: try Self.u256(f[3], "maxFeePerGas"), gasLimit: try Self.u64(f[4], "gasLimit"),
                  to: try Self.recipient(f[5]), value: try Self.u256(f[6], "value"), data: try Self.bytes(f[7], "data"),
                  accessList: try Self.accessList(f[8]), v: try Self.yParity(f[9]), r: try Self.u256(f[10], "r"),
                  s: try Self.u256(f[11], "s"))
    }

    private static func wrap<T>(_ field: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as RLPError { throw TransactionError.malformed(field: field, e) }
    }

    private static func u256(_ item: RLPItem, _ field: String) throws -> UInt256 { try wrap(field) { try item.uint256Value() } }
    private static func u64(_ item: RLPItem, _ field: String) throws -> UInt64 { try wrap(field) { try item.uint64Value() } }
    private static func bytes(_ item: RLPItem, _ field: String) throws -> [UInt8] { try wrap(field) { try item.bytesValue() } }

    private static func nonce(_ item: RLPItem) throws -> UInt64 {
        let n = try u64(item, "nonce")
        guard n < UInt64.max else { throw TransactionError.nonceTooLarge }
        return n
    }

    private static func yParity(_ item: RLPItem) throws -> UInt256 {
        let v = try u256(item, "yParity")
        guard v <= .one else { throw TransactionError.invalidV(v) }
        return v
    }

    private static func recipient(_ item: RLPItem) throws -> Address? {
        let b = try bytes(item, "to")
        if b.isEmpty { return nil }
        guard b.count == 20 else { throw TransactionError.invalidToAddress(length: b.count) }
        return try Address(b)
    }

    private static func accessList(_ item: RLPItem) throws -> [AccessListEntry] {
        let entries = try wrap("accessList") { try item.listValue() }
        return try entries.map { entry in
            let pair = try wrap("accessList") { try entry.listValue() }
            guard pair.count == 2 else { throw TransactionError.invalidAccessList("entry has \(pair.count) items, not 2") }
            let addr = try bytes(pair[0], "accessList.address")
            guard addr.count == 20 else { throw TransactionError.invalidAccessList("address of \(addr.count) bytes") }
            let keys = try wrap("accessList.storageKeys") { try pair[1].listValue() }
            return AccessListEntry(address: try Address(addr), storageKeys: try keys.map { k in
                let b = try bytes(k, "accessList.storageKey")
                guard b.count == 32 else { throw TransactionError.invalidAccessList("storage key of \(b.count) bytes") }
                return try H256(b)
            })
        }
    }

    // MARK: Encoding

    private var toItem: RLPItem { .bytes(to?.bytes ?? []) }

    private var accessListItem: RLPItem {
        .list(accessList.map { .list([.bytes($0.address.bytes), .list($0.storageKeys.map { .bytes($0.bytes) })]) })
    }

    /// Fields without the signature, in wire order.
    private var unsignedFields: [RLPItem] {
        switch type {
        case .legacy:
            return [.uint(UInt256(nonce)), .uint(gasPrice), .uint(UInt256(gasLimit)), toItem, .uint(value), .bytes(data)]
        case .accessList:
            return [.uint(UInt256(chainID ?? 0)), .uint(UInt256(nonce)), .uint(gasPrice), .uint(UInt256(gasLimit)), toItem,
                    .uint(value), .bytes(data), accessListItem]
        case .dynamicFee:
            return [.uint(UInt256(chainID ?? 0)), .uint(UInt256(nonce)), .uint(maxPriorityFeePerGas), .uint(maxFeePerGas),
                    .uint(UInt256(gasLimit)), toItem, .uint(value), .bytes(data), accessListItem]
        }
    }

    /// The signed fields as one RLP list (the payload after the type byte for typed transactions).
    var signedList: RLPItem { .list(unsignedFields + [.uint(v), .uint(r), .uint(s)]) }

    /// The canonical encoding: what `eth_sendRawTransaction` takes and what the hash covers.
    public var encoded: [UInt8] {
        let list = RLP.encode(signedList)
        return type == .legacy ? list : [type.rawValue] + list
    }

    /// The transaction hash: keccak256 of ``encoded``.
    public var hash: H256 { Keccak256.h256(encoded) }

    /// The hash the sender signs (EIP-155 for protected legacy, EIP-2718 payload for typed).
    public var signingHash: [UInt8] {
        switch type {
        case .legacy:
            var fields = unsignedFields
            if let id = chainID { fields += [.uint(UInt256(id)), .uint(.zero), .uint(.zero)] }
            return Keccak256.hash(RLP.encode(.list(fields)))
        case .accessList, .dynamicFee:
            return Keccak256.hash([type.rawValue] + RLP.encode(.list(unsignedFields)))
        }
    }
}
