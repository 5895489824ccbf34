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

        public var json: [String: Any] {
            var o: [String: Any] = ["name": name, "fork": fork, "index": index, "pass": pass, "stateRoot": stateRoot.description]
            o["error"] = error ?? NSNull()
            return o
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    /// Every case of `fork` in a fixture file.
    public static func run(file: URL, fork: String = "Cancun") throws -> [Result] {
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw Failure("cannot read \(file.path)") }
        guard let tests = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw Failure("\(file.lastPathComponent) is not a JSON object") }
        var out = [Result]()
        for (name, value) in tests.sorted(by: { $0.key < $1.key }) {
            guard let test = value as? [String: Any] else { throw Failure("\(name) is not an object") }
            if test["exec"] != nil {
                out.append(try LegacyVMTest.runCase(name: name, test: test))
                continue
            }
            guard let posts = (test["post"] as? [String: Any])?[fork] as? [[String: Any]] else { continue }
            for (i, post) in posts.enumerated() {
                out.append(try runCase(name: name, test: test, post: post, fork: fork, index: i))
            }
        }
        return out
    }

    static func runCase(name: String, test: [String: Any], post: [String: Any], fork: String, index: Int) throws -> Result {
        guard let env = test["env"] as? [String: Any], let pre = test["pre"] as? [String: Any], let tx = test["transaction"] as? [String: Any],
              let indexes = post["indexes"] as? [String: Any], let expectedRoot = post["hash"] as? String, let expectedLogs = post["logs"] as? String else {
            throw Failure("\(name): missing env, pre, transaction or post fields")
        }
        let state = try prestate(pre, name: name)
        let block = BlockEnvironment(chainID: 1, coinbase: try address(env["currentCoinbase"]), number: try u64(env["currentNumber"]),
                                     timestamp: try u64(env["currentTimestamp"]), gasLimit: try u64(env["currentGasLimit"]),
                                     baseFee: try u256(env["currentBaseFee"] ?? "0x0"),
                                     prevRandao: (try? H256(bytes(env["currentRandom"] ?? env["currentDifficulty"]).leftPadded(32))) ?? .zero,
                                     blobBaseFee: TransactionExecutor.blobBaseFee(excessBlobGas: try u64(env["currentExcessBlobGas"] ?? "0x0")))
        func pick(_ key: String, _ indexKey: String) throws -> Any? {
            guard let list = tx[key] as? [Any] else { return nil }
            let i = (indexes[indexKey] as? Int) ?? 0
            guard i < list.count else { throw Failure("\(name): \(indexKey) index \(i) out of range") }
            return list[i]
        }
        guard let secret = tx["secretKey"] as? String, let key = try? PrivateKey(hex: secret) else { throw Failure("\(name): no secretKey") }
        var accessList: [(Address, [UInt256])]?
        if let lists = tx["accessLists"] as? [Any], let i = indexes["data"] as? Int, i < lists.count, let list = lists[i] as? [[String: Any]] {
            accessList = try list.map { entry in (try address(entry["address"]), try ((entry["storageKeys"] as? [String]) ?? []).map { try u256($0) }) }
        }
        let toText = (tx["to"] as? String) ?? ""
        let message: TransactionMessage
        do {
        message = TransactionMessage(
            sender: key.address, to: toText.isEmpty ? nil : try address(toText), nonce: try u256(tx["nonce"]),
            gasLimit: try u256(try pick("gasLimit", "gas")), value: try u256(try pick("value", "value")), data: try bytes(try pick("data", "data")),
            gasPrice: tx["gasPrice"].map { try? u256($0) } ?? nil, maxFeePerGas: tx["maxFeePerGas"].map { try? u256($0) } ?? nil,
            maxPriorityFeePerGas: tx["maxPriorityFeePerGas"].map { try? u256($0) } ?? nil, accessList: accessList ?? [],
            blobHashes: try ((tx["blobVersionedHashes"] as? [String]) ?? []).map { try H256(Hex.decode($0)) },
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
                (logsHash.description != expectedLogs.lowercased() ? "logs hash \(logsHash) ≠ \(expectedLogs)" : "expected \(post["expectException"] ?? "")")
        } else if !pass, let e = error, !expectsException {
            error = "refused a valid transaction: \(e)"
        } else if pass {
            error = nil
        }
        return Result(name: name, fork: fork, index: index, pass: pass, stateRoot: root, error: error)
    }

    /// Accounts as fixtures write them: address → {nonce, balance, code, storage}.
    static func prestate(_ accounts: [String: Any], name: String) throws -> InMemoryEVMState {
        let state = InMemoryEVMState()
        for (address, value) in accounts {
            guard let a = try? Address(hex: address), let acct = value as? [String: Any] else { throw Failure("\(name): bad account \(address)") }
            state.setAccount(a, EVMAccount(nonce: try u64(acct["nonce"]), balance: try u256(acct["balance"]), code: try bytes(acct["code"])))
            for (k, v) in (acct["storage"] as? [String: String]) ?? [:] {
                state.setStorage(a, try u256(k), try u256(v))
            }
        }
        return state
    }

    static func u256(_ v: Any?) throws -> UInt256 {
        guard let s = v as? String else { throw Failure("expected a hex quantity, got \(v ?? "nothing")") }
        if s.hasPrefix("0x:bigint ") { return try UInt256(parsing: String(s.dropFirst(10))) }
        guard let n = try? UInt256(parsing: s.isEmpty || s == "0x" ? "0x0" : s) else { throw Failure("\(s) is not a 256-bit quantity") }
        return n
    }

    static func u64(_ v: Any?) throws -> UInt64 {
        guard let n = try u256(v).uint64 else { throw Failure("\(v ?? "") does not fit 64 bits") }
        return n
    }

    static func bytes(_ v: Any?) throws -> [UInt8] {
        guard let s = v as? String else { return [] }
        if s.hasPrefix(":raw ") { return try Hex.decode(String(s.dropFirst(5))) }
        return try Hex.decode(s)
    }

    static func address(_ v: Any?) throws -> Address {
        guard let s = v as? String, let a = try? Address(hex: s) else { throw Failure("\(v ?? "") is not an address") }
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
