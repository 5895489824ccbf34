import AnkrEVM
import AnkrPrimitives

/// One case of `ankr evm batch`: a pre-state, a block and a transaction, read from one JSON object.
///
/// Every number is a JSON string (decimal or `0x` hex) or a JSON integer, so 256-bit values survive
/// the trip; byte strings are `0x` hex; addresses are keys or values in hex.
///
///     {"id": 7,
///      "env": {"chainId": "1", "coinbase": "0x…", "number": "1", "timestamp": "1000", "gasLimit": "30000000",
///              "baseFee": "0", "prevRandao": "0x…", "excessBlobGas": "0", "blockHashes": {"0": "0x…"}},
///      "tx": {"from": "0x…", "to": "0x…" (absent or null: a creation), "gas": "1000000", "value": "0",
///             "data": "0x…", "gasPrice": "0", "nonce": "0" (default: the sender's), "accessList": [{"address": "0x…", "storageKeys": ["0x1"]}]},
///      "pre": {"0x…": {"balance": "0", "nonce": "0", "code": "0x…", "storage": {"0x0": "0x1"}}},
///      "trace": true}
///
/// With `"trace": true` the answer also holds `"trace"`: the EIP-3155 lines (``EIP3155Tracer``) as strings, at most
/// ``maxTraceLines`` of them (`"traceTruncated": true` when there were more).
struct BatchCase {
    /// Echoed in the answer so a driver can pair answers with cases.
    let id: JSON?
    let state: InMemoryEVMState
    let block: BlockEnvironment
    let message: TransactionMessage
    let trace: Bool

    /// A bound on the lines one answer carries (~200 bytes each): a looping program's trace stops there.
    static let maxTraceLines = 250_000

    init(line: String) throws(BatchCaseError) {
        guard let root = (try? JSON(parsing: line))?.object else { throw .notAnObject("the case") }
        id = root["id"]
        switch root["trace"] {
        case nil, .null?: trace = false
        case .bool(let b)?: trace = b
        case let other?: throw .notABoolean("trace", other.text)
        }
        let env = try Self.object(root, "env"), tx = try Self.object(root, "tx"), pre = try Self.object(root, "pre")

        state = InMemoryEVMState()
        for (key, value) in pre {
            guard let fields = value.object else { throw .notAnObject("pre[\(key)]") }
            let address = try Self.address(.string(key), "pre[\(key)]")
            let account = EVMAccount(nonce: try Self.u64(fields["nonce"] ?? "0", "pre[\(key)].nonce"),
                                     balance: try Self.u256(fields["balance"] ?? "0", "pre[\(key)].balance"),
                                     code: try Self.bytes(fields["code"] ?? "0x", "pre[\(key)].code"))
            state.setAccount(address, account)
            guard let storage = (fields["storage"] ?? [:]).object else { throw .notAnObject("pre[\(key)].storage") }
            for (slot, word) in storage {
                state.setStorage(address, try Self.u256(.string(slot), "pre[\(key)].storage key"), try Self.u256(word, "pre[\(key)].storage[\(slot)]"))
            }
        }
        // The pre-state's writes are not the transaction's: original values (EIP-2200) start here.
        state.beginTransaction()

        var hashes = [UInt64: H256]()
        guard let hashFields = (env["blockHashes"] ?? [:]).object else { throw .notAnObject("env.blockHashes") }
        for (number, hash) in hashFields {
            let bytes = try Self.bytes(hash, "env.blockHashes[\(number)]")
            guard let h = try? H256(bytes) else { throw .wrongLength("env.blockHashes[\(number)]", expected: 32) }
            hashes[try Self.u64(.string(number), "env.blockHashes key")] = h
        }
        let randao = try Self.bytes(env["prevRandao"] ?? .string("0x" + String(repeating: "00", count: 32)), "env.prevRandao")
        guard let prevRandao = try? H256(randao) else { throw .wrongLength("env.prevRandao", expected: 32) }
        block = BlockEnvironment(
            chainID: try Self.u64(try Self.field(env, "chainId", "env"), "env.chainId"),
            coinbase: try Self.address(try Self.field(env, "coinbase", "env"), "env.coinbase"),
            number: try Self.u64(try Self.field(env, "number", "env"), "env.number"),
            timestamp: try Self.u64(try Self.field(env, "timestamp", "env"), "env.timestamp"),
            gasLimit: try Self.u64(try Self.field(env, "gasLimit", "env"), "env.gasLimit"),
            baseFee: try Self.u256(env["baseFee"] ?? "0", "env.baseFee"),
            prevRandao: prevRandao,
            blobBaseFee: TransactionExecutor.blobBaseFee(excessBlobGas: try Self.u64(env["excessBlobGas"] ?? "0", "env.excessBlobGas")),
            blockHashes: hashes)

        let sender = try Self.address(try Self.field(tx, "from", "tx"), "tx.from")
        var to: Address?
        if let t = tx["to"], t != .null { to = try Self.address(t, "tx.to") }
        var accessList = [(Address, [UInt256])]()
        let list = (tx["accessList"] ?? []).array
        let entries = list?.compactMap(\.object) ?? []
        guard let list, entries.count == list.count else { throw .notAnObject("tx.accessList entry") }
        for (i, entry) in entries.enumerated() {
            guard let keys = (entry["storageKeys"] ?? []).array else { throw .notAList("tx.accessList[\(i)].storageKeys") }
            var slots = [UInt256]()
            for key in keys { slots.append(try Self.u256(key, "tx.accessList[\(i)].storageKeys")) }
            accessList.append((try Self.address(try Self.field(entry, "address", "tx.accessList[\(i)]"), "tx.accessList[\(i)].address"), slots))
        }
        var nonce = UInt256(state.account(sender)?.nonce ?? 0)
        if let n = tx["nonce"] { nonce = try Self.u256(n, "tx.nonce") }
        message = TransactionMessage(
            sender: sender, to: to, nonce: nonce, gasLimit: try Self.u256(try Self.field(tx, "gas", "tx"), "tx.gas"),
            value: try Self.u256(tx["value"] ?? "0", "tx.value"), data: try Self.bytes(tx["data"] ?? "0x", "tx.data"),
            gasPrice: try Self.u256(tx["gasPrice"] ?? "0", "tx.gasPrice"), maxFeePerGas: nil, maxPriorityFeePerGas: nil, accessList: accessList)
    }

    /// Applies the transaction and describes the outcome: status, gas used, output, logs and every
    /// account left in the state with its storage.
    func run() -> JSON {
        var answer: [String: JSON] = [:]
        if let id { answer["id"] = id }
        var lines: [String] = [], truncated = false
        // One line of the bound is the summary's.
        let tracer = trace ? EIP3155Tracer(intrinsicGas: TransactionExecutor.intrinsicGas(message), maxSteps: Self.maxTraceLines - 1) { line in
            if lines.count < Self.maxTraceLines { lines.append(line) } else { truncated = true }
        } : nil
        do {
            let outcome = try TransactionExecutor.apply(message, state: state, block: block, tracer: tracer)
            switch outcome.status {
            case .success: answer["status"] = "success"
            case .revert: answer["status"] = "revert"
            case .failure(let why): answer["status"] = "failure"; answer["reason"] = .string("\(why)")
            }
            answer["gasUsed"] = Self.number(outcome.gasUsed)
            answer["output"] = .string(outcome.output.hexPrefixed)
            answer["logs"] = .array(outcome.logs.map {
                ["address": .string($0.address.bytes.hexPrefixed), "topics": .array($0.topics.map { .string($0.description) }), "data": .string($0.data.hexPrefixed)]
            })
        } catch {
            answer["status"] = "invalid"
            answer["reason"] = .string("\(error)")
        }
        if trace {
            answer["trace"] = .array(lines.map(JSON.string))
            if truncated || tracer?.truncated == true { answer["traceTruncated"] = true }
        }
        var post = [String: JSON]()
        for (address, account) in state.accounts {
            var storage = [String: JSON]()
            for (slot, word) in state.storages[address] ?? [:] { storage[slot.hexQuantity] = .string(word.hexQuantity) }
            post[address.bytes.hexPrefixed] = ["balance": .string(account.balance.hexQuantity), "nonce": Self.number(account.nonce),
                                               "code": .string(account.code.hexPrefixed), "storage": .object(storage)]
        }
        answer["post"] = .object(post)
        return .object(answer)
    }

    /// A 64-bit count as a JSON number; above 2^63 − 1, which a JSON integer here cannot hold, as its
    /// decimal text (fuzzed nonces reach 2^64 − 1; drivers read both with `int()`).
    static func number(_ value: UInt64) -> JSON {
        value <= UInt64(Int64.max) ? .int(clamping: value) : .string(value.description)
    }

    // MARK: Fields

    private static func field(_ o: [String: JSON], _ key: String, _ path: String) throws(BatchCaseError) -> JSON {
        guard let v = o[key], v != .null else { throw .missing("\(path).\(key)") }
        return v
    }

    private static func object(_ o: [String: JSON], _ key: String) throws(BatchCaseError) -> [String: JSON] {
        guard let v = o[key] else { throw .missing(key) }
        guard let d = v.object else { throw .notAnObject(key) }
        return d
    }

    private static func u256(_ v: JSON, _ path: String) throws(BatchCaseError) -> UInt256 {
        if let s = v.string {
            guard let n = try? UInt256(parsing: s) else { throw .notANumber(path, s) }
            return n
        }
        // A JSON number counts only when it is a whole, non-negative integer (not 1.5, not -1).
        if let n = v.int, n >= 0 { return UInt256(UInt64(n)) }
        throw .notANumber(path, v.text)
    }

    private static func u64(_ v: JSON, _ path: String) throws(BatchCaseError) -> UInt64 {
        guard let n = try u256(v, path).uint64 else { throw .tooLarge(path) }
        return n
    }

    private static func bytes(_ v: JSON, _ path: String) throws(BatchCaseError) -> [UInt8] {
        guard let s = v.string, let b = try? Hex.decode(s) else { throw .notHex(path) }
        return b
    }

    private static func address(_ v: JSON, _ path: String) throws(BatchCaseError) -> Address {
        guard let s = v.string, let a = try? Address(hex: s.lowercased()) else { throw .notAnAddress(path) }
        return a
    }
}
