import AnkrPrimitives

/// Reads the fields of one enclave message in order; each read names its field in the error, and
/// ``finish()`` refuses fields left over.
struct WireFields {
    let message: String
    var items: ArraySlice<RLPItem>
    private var total: Int

    init(message: String, items: ArraySlice<RLPItem>) {
        self.message = message
        self.items = items
        self.total = items.count
    }

    private mutating func next(_ field: String) throws(EnclaveWireError) -> RLPItem {
        guard let item = items.popFirst() else { throw .wrongFieldCount(message: message, expected: total + 1, actual: total) }
        return item
    }

    private func wrap<T>(_ field: String, _ body: () throws -> T) throws(EnclaveWireError) -> T {
        do { return try body() } catch let e as RLPError { throw .badField(message: message, field: field, e) } catch {
            throw .badField(message: message, field: field, .expectedBytes)
        }
    }

    mutating func bytes(_ field: String, max: Int = EnclaveFrame.maxBytes) throws(EnclaveWireError) -> [UInt8] {
        let item = try next(field)
        let b = try wrap(field) { try item.bytesValue() }
        guard b.count <= max else { throw .fieldTooLarge(field: field, count: b.count, limit: max) }
        return b
    }

    mutating func bytes(_ field: String, exactly n: Int) throws(EnclaveWireError) -> [UInt8] {
        let b = try bytes(field)
        guard b.count == n else { throw .wrongFieldSize(field: field, expected: n, actual: b.count) }
        return b
    }

    mutating func uint64(_ field: String) throws(EnclaveWireError) -> UInt64 {
        let item = try next(field)
        return try wrap(field) { try item.uint64Value() }
    }

    mutating func uint256(_ field: String) throws(EnclaveWireError) -> UInt256 {
        let item = try next(field)
        return try wrap(field) { try item.uint256Value() }
    }

    mutating func int(_ field: String) throws(EnclaveWireError) -> Int {
        let v = try uint64(field)
        guard let n = Int(exactly: v) else { throw .fieldTooLarge(field: field, count: Int.max, limit: Int.max) }
        return n
    }

    mutating func flag(_ field: String) throws(EnclaveWireError) -> Bool {
        let v = try uint64(field)
        guard v <= 1 else { throw .notAFlag(field: field, value: v) }
        return v == 1
    }

    mutating func h256(_ field: String) throws(EnclaveWireError) -> H256 {
        let b = try bytes(field, exactly: 32)
        guard let h = try? H256(b) else { throw .wrongFieldSize(field: field, expected: 32, actual: b.count) }
        return h
    }

    mutating func text(_ field: String) throws(EnclaveWireError) -> String {
        String(decoding: try bytes(field), as: UTF8.self)
    }

    mutating func list(_ field: String) throws(EnclaveWireError) -> WireFields {
        let item = try next(field)
        let inner = try wrap(field) { try item.listValue() }
        return WireFields(message: "\(message) \(field)", items: inner[...])
    }

    /// Every field was read.
    func finish() throws(EnclaveWireError) {
        guard items.isEmpty else { throw .wrongFieldCount(message: message, expected: total - items.count, actual: total) }
    }
}
