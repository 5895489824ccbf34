import AnkrCrypto
import AnkrPrimitives
import AnkrTrie
import Foundation

/// ethereum/tests GeneralStateTests fixtures, run the way geth's `evm statetest` runs them: for each
/// post-state entry of the chosen fork, build the transaction from its (data, gas, value) indexes,
/// apply it to the pre-state and compare the state root and the logs hash.
public enum StateTest {
    /// One test case's outcome, printed one JSON object per line by `ankr evm statetest`.
    public struct Result: Sendable {
        public let name: String
        public let fork: String
        public let index: Int
        public let pass: Bool
        public let stateRoot: H256
        public let error: String?

        /// The line `ankr evm statetest` prints: name, fork, index, pass, stateRoot and error (null when it passed).
        public var json: JSON {
            ["name": .string(name), "fork": .string(fork), "index": .int(clamping: index), "pass": .bool(pass),
             "stateRoot": .string(stateRoot.description), "error": .optional(error)]
        }
    }

    /// Every case of `fork` in a fixture file.
    public static func run(file: URL, fork: String = "Cancun") throws -> [Result] {
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw StateTestError.unreadable(path: file.path) }
        guard let tests = (try? JSON(parsing: data))?.object else { throw StateTestError.notAFixtureFile(file: file.lastPathComponent) }
        var out = [Result]()
        for (name, value) in tests.sorted(by: { $0.key < $1.key }) {
            guard let test = value.object else { throw StateTestError.caseNotAnObject(test: name) }
            if test["exec"] != nil {
                out.append(try LegacyVMTest.runCase(name: name, test: test))
                continue
            }
            guard let list = test["post"]?[fork]?.array, case let posts = list.compactMap(\.object), posts.count == list.count else { continue }
            for (i, post) in posts.enumerated() {
                out.append(try runCase(name: name, test: test, post: post, fork: fork, index: i))
            }
        }
        return out
    }

    static func runCase(name: String, test: [String: JSON], post: [String: JSON], fork: String, index: Int) throws -> Result {
        guard let env = test["env"]?.object, let pre = test["pre"]?.object, let tx = test["transaction"]?.object,
              let indexes = post["indexes"]?.object, let expectedRoot = post["hash"]?.string, let expectedLogs = post["logs"]?.string else {
            throw StateTestError.missingFields(test: name, fields: "env, pre, transaction or post fields")
        }
        let state = try prestate(pre, name: name)
        let block = BlockEnvironment(chainID: 1, coinbase: try address(env["currentCoinbase"]), number: try u64(env["currentNumber"]),
                                     timestamp: try u64(env["currentTimestamp"]), gasLimit: try u64(env["currentGasLimit"]),
                                     baseFee: try u256(env["currentBaseFee"] ?? "0x0"),
                                     prevRandao: (try? H256(bytes(env["currentRandom"] ?? env["currentDifficulty"]).leftPadded(32))) ?? .zero,
                                     blobBaseFee: TransactionExecutor.blobBaseFee(excessBlobGas: try u64(env["currentExcessBlobGas"] ?? "0x0")))
        func pick(_ key: String, _ indexKey: String) throws -> JSON? {
            guard let list = tx[key]?.array else { return nil }
            let i = indexes[indexKey]?.int.map(Int.init) ?? 0
            guard list.indices.contains(i) else { throw StateTestError.indexOutOfRange(test: name, key: indexKey, index: i) }
            return list[i]
        }
        guard let secret = tx["secretKey"]?.string, let key = try? PrivateKey(hex: secret) else { throw StateTestError.noSecretKey(test: name) }
        var accessList: [(Address, [UInt256])]?
        if let lists = tx["accessLists"]?.array, let i = indexes["data"]?.int.map(Int.init), lists.indices.contains(i),
           let list = lists[i].array, case let entries = list.compactMap(\.object), entries.count == list.count {
            accessList = try entries.map { entry in (try address(entry["address"]), try (strings(entry["storageKeys"]) ?? []).map { try u256(.string($0)) }) }
        }
        let toText = tx["to"]?.string ?? ""
        let message: TransactionMessage
        do {
        message = TransactionMessage(
            sender: key.address, to: toText.isEmpty ? nil : try address(.string(toText)), nonce: try u256(tx["nonce"]),
            gasLimit: try u256(try pick("gasLimit", "gas")), value: try u256(try pick("value", "value")), data: try bytes(try pick("data", "data")),
            gasPrice: tx["gasPrice"].map { try? u256($0) } ?? nil, maxFeePerGas: tx["maxFeePerGas"].map { try? u256($0) } ?? nil,
            maxPriorityFeePerGas: tx["maxPriorityFeePerGas"].map { try? u256($0) } ?? nil, accessList: accessList ?? [],
            blobHashes: try (strings(tx["blobVersionedHashes"]) ?? []).map { try H256(Hex.decode($0)) },
            maxFeePerBlobGas: try tx["maxFeePerBlobGas"].map { try u256($0) })
        } catch {
            // A field no transaction can carry (a value above 2^256): it never decodes, the state stays.
            let root = try state.stateRoot()
            let pass = post["expectException"] != nil && root.description == expectedRoot.lowercased()
            return Result(name: name, fork: fork, index: index, pass: pass, stateRoot: root, error: "invalid transaction: \(error)")
        }
        state.beginTransaction()
        var error: String?
        var logsHash = Keccak256.h256(RLP.encode(.list([])))
        do {
            let outcome = try TransactionExecutor.apply(message, state: state, block: block)
            logsHash = TransactionExecutor.logsHash(outcome.logs)
        } catch let invalid as TransactionExecutor.Invalid {
            error = "\(invalid)"
        }
        let root = try state.stateRoot()
        let expectsException = post["expectException"] != nil
        var pass = root.description == expectedRoot.lowercased() && logsHash.description == expectedLogs.lowercased()
        if expectsException != (error != nil) { pass = false }
        if !pass, error == nil {
            error = root.description != expectedRoot.lowercased() ? "state root \(root) ≠ \(expectedRoot)" :
                (logsHash.description != expectedLogs.lowercased() ? "logs hash \(logsHash) ≠ \(expectedLogs)" : "expected \(post["expectException"].map(text) ?? "")")
        } else if !pass, let e = error, !expectsException {
            error = "refused a valid transaction: \(e)"
        } else if pass {
            error = nil
        }
        return Result(name: name, fork: fork, index: index, pass: pass, stateRoot: root, error: error)
    }

    /// Accounts as fixtures write them: address → {nonce, balance, code, storage}.
    static func prestate(_ accounts: [String: JSON], name: String) throws -> InMemoryEVMState {
        let state = InMemoryEVMState()
        for (address, value) in accounts {
            guard let a = try? Address(hex: address), let acct = value.object else { throw StateTestError.badAccount(test: name, address: address) }
            state.setAccount(a, EVMAccount(nonce: try u64(acct["nonce"]), balance: try u256(acct["balance"]), code: try bytes(acct["code"])))
            for (k, v) in acct["storage"]?.object ?? [:] { state.setStorage(a, try u256(.string(k)), try u256(v)) }
        }
        return state
    }

    /// A list of strings (nil when absent or when any element is not a string).
    static func strings(_ v: JSON?) -> [String]? {
        guard let list = v?.array, case let texts = list.compactMap(\.string), texts.count == list.count else { return nil }
        return texts
    }

    /// A value as error messages show it: a string as it is, anything else as JSON text.
    static func text(_ v: JSON) -> String { v.string ?? v.text }

    static func u256(_ v: JSON?) throws -> UInt256 {
        guard let s = v?.string else { throw StateTestError.expectedHexQuantity(found: v.map(text)) }
        if s.hasPrefix("0x:bigint ") { return try UInt256(parsing: String(s.dropFirst(10))) }
        guard let n = try? UInt256(parsing: s.isEmpty || s == "0x" ? "0x0" : s) else { throw StateTestError.notA256BitQuantity(s) }
        return n
    }

    static func u64(_ v: JSON?) throws -> UInt64 {
        guard let n = try u256(v).uint64 else { throw StateTestError.doesNotFit64Bits(v.map(text) ?? "") }
        return n
    }

    static func bytes(_ v: JSON?) throws -> [UInt8] {
        guard let s = v?.string else { return [] }
        if s.hasPrefix(":raw ") { return try Hex.decode(String(s.dropFirst(5))) }
        return try Hex.decode(s)
    }

    static func address(_ v: JSON?) throws -> Address {
        guard let s = v?.string, let a = try? Address(hex: s) else { throw StateTestError.notAnAddress(v.map(text) ?? "") }
        return a
    }
}

extension Array where Element == UInt8 {
    func leftPadded(_ n: Int) -> [UInt8] { count >= n ? Array(suffix(n)) : [UInt8](repeating: 0, count: n - count) + self }
}

extension InMemoryEVMState {
    /// The state trie's root: keccak(address) → RLP[nonce, balance, storage root, code hash].
    public func stateRoot() throws -> H256 {
        var trie = SecureMerklePatriciaTrie()
        for (address, account) in accounts {
            var storageTrie = SecureMerklePatriciaTrie()
            for (k, v) in storages[address] ?? [:] where !v.isZero {
                try storageTrie.put(k.bigEndianBytes, RLP.encode(.uint(v)))
            }
            let leaf = RLP.encode(.list([.uint(account.nonce), .uint(account.balance), .bytes(try storageTrie.commit().bytes), .bytes(Keccak256.hash(account.code))]))
            try trie.put(address.bytes, leaf)
        }
        return try trie.commit()
    }
}
