import AnkrCrypto
import AnkrPrimitives

/// A child-chain transaction: two inputs, two outputs and a fee (outputs + fee = inputs).
///
/// RLP, in the white paper's order: `[blknum1, txindex1, oindex1, sig1, blknum2, txindex2, oindex2,
/// sig2, newowner1, denom1, newowner2, denom2, fee]`. Unused inputs and outputs are all zero; an
/// unsigned input's signature is 65 zero bytes; a deposit has both inputs zero.
public struct PlasmaTransaction: Hashable, Sendable {
    /// An output being spent, or ``none``.
    public struct Input: Hashable, Sendable {
        public var blockNumber: UInt64
        public var txIndex: UInt64
        public var outputIndex: UInt64

        public static let none = Input(blockNumber: 0, txIndex: 0, outputIndex: 0)

        public init(blockNumber: UInt64, txIndex: UInt64, outputIndex: UInt64) {
            self.blockNumber = blockNumber; self.txIndex = txIndex; self.outputIndex = outputIndex
        }

        public init(_ position: UTXOPosition) {
            self.init(blockNumber: position.blockNumber, txIndex: position.txIndex, outputIndex: position.outputIndex)
        }

        public var isNone: Bool { self == .none }
        public var position: UTXOPosition? {
            isNone ? nil : try? UTXOPosition(blockNumber: blockNumber, txIndex: txIndex, outputIndex: outputIndex)
        }
    }

    /// A new output: its owner and amount, or ``none``.
    public struct Output: Hashable, Sendable {
        public var owner: Address
        public var amount: UInt256

        public static let none = Output(owner: .zero, amount: .zero)

        public init(owner: Address, amount: UInt256) { self.owner = owner; self.amount = amount }

        public var isNone: Bool { self == .none }
    }

    public static let nullSignature = [UInt8](repeating: 0, count: 65)

    public var inputs: [Input]
    /// 65 bytes each (the null signature when unsigned): set only by `sign` and the strict decoder, so
    /// ``merkleLeaf`` always hashes exactly 32 + 65 + 65 bytes.
    public private(set) var signatures: [[UInt8]]
    public var outputs: [Output]
    public var fee: UInt256

    /// A transaction with up to two inputs and outputs; missing ones are zero; no signatures yet.
    public init(inputs: [Input], outputs: [Output], fee: UInt256 = .zero) throws {
        guard inputs.count <= 2, outputs.count <= 2 else { throw PlasmaError.malformed("at most two inputs and two outputs") }
        self.inputs = inputs + Array(repeating: .none, count: 2 - inputs.count)
        self.outputs = outputs + Array(repeating: .none, count: 2 - outputs.count)
        self.signatures = [Self.nullSignature, Self.nullSignature]
        self.fee = fee
        try checkShape()
    }

    /// A deposit of `amount` to `owner`: no inputs, one output (the root contract creates these).
    public static func deposit(owner: Address, amount: UInt256) -> PlasmaTransaction {
        // Two empty inputs and two outputs always have a valid shape.
        (try? PlasmaTransaction(inputs: [], outputs: [Output(owner: owner, amount: amount)])) ?? PlasmaTransaction(unchecked: ())
    }

    private init(unchecked: Void) {
        inputs = [.none, .none]; outputs = [.none, .none]; signatures = [Self.nullSignature, Self.nullSignature]; fee = .zero
    }

    public var isDeposit: Bool { inputs.allSatisfy(\.isNone) }

    // MARK: Encoding

    private var unsignedFields: [RLPItem] {
        [.uint(inputs[0].blockNumber), .uint(inputs[0].txIndex), .uint(inputs[0].outputIndex),
         .uint(inputs[1].blockNumber), .uint(inputs[1].txIndex), .uint(inputs[1].outputIndex),
         .bytes(outputs[0].owner.bytes), .uint(outputs[0].amount), .bytes(outputs[1].owner.bytes), .uint(outputs[1].amount), .uint(fee)]
    }

    /// keccak256 of the RLP list without the two signatures: what owners sign and what the chain calls the transaction.
    public var hash: H256 { Keccak256.h256(RLP.encode(.list(unsignedFields))) }

    /// The RLP without signatures (what `hash` hashes).
    public var unsignedEncoded: [UInt8] { RLP.encode(.list(unsignedFields)) }

    /// The full RLP list in the white paper's order, signatures included.
    public var rlpItem: RLPItem {
        let f = unsignedFields
        return .list(Array(f[0..<3]) + [.bytes(signatures[0])] + Array(f[3..<6]) + [.bytes(signatures[1])] + Array(f[6...]))
    }

    /// The full RLP in the white paper's order, signatures included.
    public var encoded: [UInt8] { RLP.encode(rlpItem) }

    /// The Merkle leaf of this transaction in its block: keccak256(txHash ‖ sig1 ‖ sig2).
    public var merkleLeaf: H256 { merkleLeaf(hash: hash) }

    /// ``merkleLeaf`` with the transaction's hash already known (a block builder has it from acceptance).
    public func merkleLeaf(hash: H256) -> H256 { Keccak256.h256(hash.bytes + signatures[0] + signatures[1]) }

    /// The Merkle leaf of a transaction as its bytes sit in a block, computed as for a transaction
    /// even when the strict decoder refuses it: how a fraud proof shows that an operator put an
    /// undecodable transaction (say, a high-s signature) into a block.
    ///
    /// Nil unless the bytes are a canonical RLP list of 13 items whose items 4 and 8 are 65-byte
    /// strings. Both conditions keep the leaf's preimage, txHash (32) ‖ sig1 (65) ‖ sig2 (65), one
    /// parse only: with free lengths, the 130 signature bytes of an honest transaction re-split as
    /// 64 + 66 would give undecodable bytes with the honest leaf. With them, bytes whose leaf is an
    /// honest transaction's leaf are that transaction's canonical encoding (short of a keccak
    /// collision), which decodes, so it can never be proven malformed.
    public static func rawLeaf(_ bytes: [UInt8]) -> H256? {
        guard let f = try? RLP.decodeList(bytes, count: 13), RLP.encode(.list(f)) == bytes,
              let sig1 = try? f[3].bytesValue(), let sig2 = try? f[7].bytesValue(), sig1.count == 65, sig2.count == 65 else { return nil }
        let unsigned = Array(f[0..<3]) + Array(f[4..<7]) + Array(f[8...])
        return Keccak256.h256(Keccak256.hash(RLP.encode(.list(unsigned))) + sig1 + sig2)
    }

    /// Strict decoding: 13 items, canonical integers, positions in range, 20-byte owners,
    /// 65-byte signatures (zero, or v = 27/28 with low s), zero fields where an input or output is unused.
    public init(encoded bytes: [UInt8]) throws {
        let f: [RLPItem]
        do { f = try RLP.decodeList(bytes, count: 13) } catch { throw PlasmaError.malformed("\(error)") }
        func u64(_ i: Int, _ name: String, max: UInt64) throws -> UInt64 {
            let v: UInt256
            do { v = try f[i].uint256Value() } catch { throw PlasmaError.malformed("\(name): \(error)") }
            guard let small = v.uint64, small <= max else { throw PlasmaError.fieldOutOfRange(field: name, value: v.description) }
            return small
        }
        func amount(_ i: Int, _ name: String) throws -> UInt256 {
            do { return try f[i].uint256Value() } catch { throw PlasmaError.malformed("\(name): \(error)") }
        }
        func owner(_ i: Int, _ name: String) throws -> Address {
            guard let b = try? f[i].bytesValue(), b.count == 20, let a = try? Address(b) else { throw PlasmaError.malformed("\(name) must be 20 bytes") }
            return a
        }
        func signature(_ i: Int, _ name: String) throws -> [UInt8] {
            guard let b = try? f[i].bytesValue(), b.count == 65 else { throw PlasmaError.malformed("\(name) must be 65 bytes") }
            return b
        }
        let maxBlock = UTXOPosition.maxBlockNumber, maxTx = UTXOPosition.maxTxIndex
        inputs = [Input(blockNumber: try u64(0, "blknum1", max: maxBlock), txIndex: try u64(1, "txindex1", max: maxTx),
                        outputIndex: try u64(2, "oindex1", max: 1)),
                  Input(blockNumber: try u64(4, "blknum2", max: maxBlock), txIndex: try u64(5, "txindex2", max: maxTx),
                        outputIndex: try u64(6, "oindex2", max: 1))]
        signatures = [try signature(3, "sig1"), try signature(7, "sig2")]
        outputs = [Output(owner: try owner(8, "newowner1"), amount: try amount(9, "denom1")),
                   Output(owner: try owner(10, "newowner2"), amount: try amount(11, "denom2"))]
        fee = try amount(12, "fee")
        try checkShape()
        for i in 0..<2 where signatures[i] != Self.nullSignature {
            guard !inputs[i].isNone else { throw PlasmaError.malformed("input \(i + 1) is unused but signed") }
            guard signatures[i][64] == 27 || signatures[i][64] == 28 else { throw PlasmaError.badSignature(input: i, reason: "v must be 27 or 28") }
            do { _ = try Signature(rsv: signatures[i]) } catch { throw PlasmaError.badSignature(input: i, reason: "\(error)") }
        }
    }

    private func checkShape() throws {
        for (i, o) in outputs.enumerated() where o.owner == .zero && !o.amount.isZero {
            throw PlasmaError.malformed("output \(i + 1) has an amount but no owner")
        }
        if !inputs[0].isNone, inputs[0] == inputs[1] { throw PlasmaError.duplicateInput }
        if inputs[0].isNone, !inputs[1].isNone { throw PlasmaError.malformed("input 2 is used but input 1 is not") }
        if isDeposit {
            guard outputs[1].isNone, fee.isZero else { throw PlasmaError.malformed("a deposit has one output and no fee") }
        }
        _ = try outputTotal()
    }

    // MARK: Signing

    /// Signs input `index` (0 or 1) with the owner's key: r‖s‖v over the raw transaction hash, v = 27/28.
    public mutating func sign(input index: Int, with key: PrivateKey) throws {
        guard index == 0 || index == 1, !inputs[index].isNone else { throw PlasmaError.malformed("input \(index + 1) is unused") }
        signatures[index] = try key.sign(hash: hash.bytes).rsv27
    }

    /// The signer of each used input (nil for unused ones); throws on a missing or invalid signature.
    public func signers() throws -> [Address?] { try signers(hash: hash) }

    /// ``signers()`` with the transaction's hash already computed (`hash` must be ``hash``).
    public func signers(hash: H256) throws -> [Address?] {
        try (0..<2).map { try signer(input: $0, hash: hash) }
    }

    /// The signer of input `i` (0 or 1; nil when unused), with the transaction's hash already computed;
    /// throws on a missing or invalid signature.
    public func signer(input i: Int, hash: H256) throws -> Address? {
        guard i == 0 || i == 1, !inputs[i].isNone else { return nil }
        guard signatures[i] != Self.nullSignature else { throw PlasmaError.missingSignature(input: i) }
        do { return try Signature(rsv: signatures[i]).recoverAddress(hash: hash.bytes) } catch {
            throw PlasmaError.badSignature(input: i, reason: "\(error)")
        }
    }

    /// denom1 + denom2 + fee, refusing an overflow.
    public func outputTotal() throws -> UInt256 {
        let (a, o1) = outputs[0].amount.addingReportingOverflow(outputs[1].amount)
        let (b, o2) = a.addingReportingOverflow(fee)
        guard !o1, !o2 else { throw PlasmaError.fieldOutOfRange(field: "denom1 + denom2 + fee", value: "overflow") }
        return b
    }

    /// Checks outputs + fee = the spent outputs' amounts (a deposit creates its amount).
    public func checkBalance(inputAmounts: [UInt256]) throws {
        guard !isDeposit else { return }
        var total = UInt256.zero
        for a in inputAmounts {
            let (t, o) = total.addingReportingOverflow(a)
            guard !o else { throw PlasmaError.fieldOutOfRange(field: "inputs", value: "overflow") }
            total = t
        }
        let out = try outputTotal()
        guard out == total else { throw PlasmaError.unbalanced(outputsAndFee: out.description, inputs: total.description) }
    }
}
