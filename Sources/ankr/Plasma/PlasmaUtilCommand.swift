import AnkrCommandLine
import AnkrCrypto
import AnkrPlasma
import AnkrPrimitives
import AnkrTrie
import ArgumentParser
import Foundation

/// `ankr plasma …`: child chains. The `util` toolbox encodes, signs and proves child-chain data
/// exactly as the root contract and the operator do, for debugging and for cross-checks.
struct PlasmaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plasma", abstract: "Plasma child chains.",
        subcommands: [Create.self, Deposit.self, Operator.self, Send.self, Balance.self, Utxos.self, Exit.self, ExitFees.self, Challenge.self, Watch.self, ExitDeposit.self, Finalize.self, Withdraw.self, Bridge.self, Status.self, PlasmaUtilCommand.self, ABIJSON.self])

    struct ABIJSON: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "abi", abstract: "Print the ABI JSON of the ChildChainRegistry (registry) or of a PlasmaRoot (root), as shipped in abi/.")

        @Argument(help: "registry or root.")
        var contract: String

        func run() throws {
            try reportingErrors {
                switch contract {
                case "registry": print(ChildChainRegistry.interface.json, terminator: "")
                case "root": print(PlasmaRoot.interface.json, terminator: "")
                default: throw CommandFailure("name registry or root")
                }
            }
        }
    }
}

struct PlasmaUtilCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "util", abstract: "Child-chain encodings, Merkle proofs and signatures; JSON output.",
        subcommands: [TxEncode.self, MerkleRoot.self, Proof.self, VerifyProof.self, ConfirmSig.self])

    static func h256(_ text: String, _ what: String) throws -> H256 {
        guard let h = try? H256(hex: text) else { throw CommandFailure("\(what) must be 32 bytes of hex") }
        return h
    }

    /// A `--key`; the refusal says what is wrong with it (its length, not hex, out of range) and repeats none of it.
    static func key(_ text: String) throws -> PrivateKey {
        do { return try PrivateKey(hex: text) } catch { throw CommandFailure("--key: \(error)") }
    }

    static func tree(_ leaves: [String]) throws -> BinaryMerkleTree {
        do { return try BinaryMerkleTree(leaves: try leaves.map { try h256($0, "a leaf") }) } catch let e as CommandFailure { throw e } catch {
            throw CommandFailure("\(error)")
        }
    }

    struct TxEncode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tx-encode",
            abstract: "Encode a transaction: unsigned RLP and hash; with --key per input (or for a deposit), the signatures, signed RLP and Merkle leaf.",
            discussion: """
                JSON: {"inputs": [{"blknum": 1000, "txindex": 0, "oindex": 0}], "outputs": [{"owner": "0x…", "amount": "100"}], "fee": "0"}
                Numbers may be JSON numbers or decimal or 0x-hex strings; missing inputs and outputs are zero.
                """)

        @Argument(help: "The transaction as JSON.")
        var transaction: String

        @Option(name: .customLong("key"), help: "Private key signing input 1, then input 2 (repeat the option).")
        var keys: [String] = []

        func run() throws {
            try reportingErrors {
                guard let object = try JSONOutput.parse(transaction, what: "the transaction").object else {
                    throw CommandFailure("the transaction must be a JSON object")
                }
                let unknown = Set(object.keys).subtracting(["inputs", "outputs", "fee"])
                guard unknown.isEmpty else { throw CommandFailure("unknown transaction fields: \(unknown.sorted().joined(separator: ", "))") }
                func number(_ value: JSON?, _ what: String) throws -> UInt256 {
                    guard let value else { return .zero }
                    if let n = value.int, n >= 0 { return UInt256(UInt64(n)) }
                    guard let s = value.string else { throw CommandFailure("\(what) must be a non-negative integer") }
                    if let v = s.hasPrefix("0x") ? try? UInt256(parsing: s) : UInt256(s) { return v }
                    throw CommandFailure("\(what) = \(s) is not a non-negative integer")
                }
                func small(_ value: JSON?, _ what: String) throws -> UInt64 {
                    guard let v = try number(value, what).uint64 else { throw CommandFailure("\(what) does not fit 64 bits") }
                    return v
                }
                let inputs = try (object["inputs"]?.array ?? []).enumerated().map { i, element -> PlasmaTransaction.Input in
                    guard let o = element.object else { throw CommandFailure("input \(i + 1) must be an object") }
                    return .init(blockNumber: try small(o["blknum"], "blknum\(i + 1)"), txIndex: try small(o["txindex"], "txindex\(i + 1)"),
                                 outputIndex: try small(o["oindex"], "oindex\(i + 1)"))
                }
                let outputs = try (object["outputs"]?.array ?? []).enumerated().map { i, element -> PlasmaTransaction.Output in
                    guard let o = element.object else { throw CommandFailure("output \(i + 1) must be an object") }
                    guard let ownerText = o["owner"]?.string, let owner = try? Address(hex: ownerText) else {
                        throw CommandFailure("output \(i + 1) needs an owner address")
                    }
                    return .init(owner: owner, amount: try number(o["amount"], "amount\(i + 1)"))
                }
                var tx: PlasmaTransaction
                do {
                    tx = try PlasmaTransaction(inputs: inputs, outputs: outputs, fee: try number(object["fee"], "fee"))
                    // Positions must be ones an output can have.
                    for (i, input) in tx.inputs.enumerated() where !input.isNone && input.position == nil {
                        throw PlasmaError.fieldOutOfRange(field: "input \(i + 1)", value: "\(input.blockNumber):\(input.txIndex):\(input.outputIndex)")
                    }
                } catch let e as PlasmaError { throw CommandFailure("\(e)") }
                var out: [String: JSON] = ["unsigned": .string(tx.unsignedEncoded.hexPrefixed), "hash": .string(tx.hash.description)]
                if tx.isDeposit {
                    // Nothing to sign: the full encoding and the leaf are final.
                    guard keys.isEmpty else { throw CommandFailure("a deposit has no inputs to sign") }
                    out["signed"] = .string(tx.encoded.hexPrefixed)
                    out["leaf"] = .string(tx.merkleLeaf.description)
                } else if !keys.isEmpty {
                    let used = tx.inputs.filter { !$0.isNone }.count
                    guard keys.count == used else { throw CommandFailure("give one --key per input: \(used) input(s), \(keys.count) key(s)") }
                    for (i, k) in keys.enumerated() { try tx.sign(input: i, with: try PlasmaUtilCommand.key(k)) }
                    out["signatures"] = .array(tx.signatures.map { .string($0.hexPrefixed) })
                    out["signed"] = .string(tx.encoded.hexPrefixed)
                    out["leaf"] = .string(tx.merkleLeaf.description)
                }
                JSONOutput.print(.object(out))
            }
        }
    }

    struct MerkleRoot: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "merkle-root", abstract: "Root of the depth-16 tree over the leaves.")

        @Argument(help: "32-byte hex leaves, in block order.")
        var leaves: [String] = []

        func run() throws {
            try reportingErrors { JSONOutput.print(["root": .string(try PlasmaUtilCommand.tree(leaves).root.description), "leaves": .int(clamping: leaves.count)]) }
        }
    }

    struct Proof: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "proof", abstract: "The 16-sibling proof (512 bytes) of one leaf.")

        @Argument(help: "Index of the leaf.")
        var index: Int

        @Argument(help: "32-byte hex leaves, in block order.")
        var leaves: [String] = []

        func run() throws {
            try reportingErrors {
                let tree = try PlasmaUtilCommand.tree(leaves)
                guard index >= 0, index < max(leaves.count, 1) else { throw CommandFailure("index \(index) is not one of the \(leaves.count) leaves") }
                JSONOutput.print(["proof": .string(try tree.proof(index: index).hexPrefixed), "root": .string(tree.root.description), "index": .int(clamping: index)])
            }
        }
    }

    struct VerifyProof: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify-proof", abstract: "Check a leaf's proof against a root; exit 1 when it fails.")

        @Argument(help: "The leaf (32-byte hex).") var leaf: String
        @Argument(help: "Its index.") var index: Int
        @Argument(help: "The proof (512-byte hex).") var proof: String
        @Argument(help: "The root (32-byte hex).") var root: String

        func run() throws {
            try reportingErrors {
                let proofBytes: [UInt8]
                do { proofBytes = try Hex.decode(proof) } catch { throw CommandFailure("the proof is not hex") }
                let valid = BinaryMerkleTree.verify(leaf: try PlasmaUtilCommand.h256(leaf, "the leaf"), index: index, proof: proofBytes,
                                                    root: try PlasmaUtilCommand.h256(root, "the root"))
                JSONOutput.print(["valid": .bool(valid)])
                if !valid { throw ExitCode(1) }
            }
        }
    }

    struct ConfirmSig: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm-sig", abstract: "An owner's confirm signature over keccak256(txHash ‖ blockRoot).")

        @Argument(help: "The transaction hash.") var txHash: String
        @Argument(help: "The Merkle root of its block.") var root: String
        @Option(help: "The owner's private key.") var key: String

        func run() throws {
            try reportingErrors {
                let k = try PlasmaUtilCommand.key(key)
                let sig = try ConfirmSignature.sign(transaction: try PlasmaUtilCommand.h256(txHash, "the transaction hash"),
                                                    blockRoot: try PlasmaUtilCommand.h256(root, "the root"), with: k)
                JSONOutput.print(["signature": .string(sig.hexPrefixed), "signer": .string(k.address.checksummed)])
            }
        }
    }
}
