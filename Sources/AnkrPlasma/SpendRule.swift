import AnkrPrimitives

/// The rule every transaction in an operator block follows. One definition serves the operator
/// (which refuses a breaking transaction), watchers (which find and prove one) and PlasmaRoot
/// (which judges those proofs), so the three can never disagree about what is fraud.
public enum SpendRule {
    /// How an included transaction breaks the rule.
    public enum Violation: Error, Equatable, Sendable, CustomStringConvertible {
        /// Outputs without inputs: only the root contract's deposit blocks may create value.
        case createsValue
        /// Input `input` names an output of the same or a later block.
        case spendsLaterOutput(input: Int)
        /// Input `input` names an output that does not exist (no block, no transaction, or an empty output).
        case spendsMissingOutput(input: Int)
        /// Input `input` is not signed by the owner of the output it spends.
        case wrongSigner(input: Int)
        /// Outputs plus fee differ from the inputs.
        case unbalanced
        /// The transaction in the block does not decode.
        case malformed

        public var description: String {
            switch self {
            case .createsValue: return "a transaction without inputs creates value outside a deposit block"
            case .spendsLaterOutput(let i): return "input \(i + 1) spends an output of the same or a later block"
            case .spendsMissingOutput(let i): return "input \(i + 1) spends an output that does not exist"
            case .wrongSigner(let i): return "input \(i + 1) is not signed by the owner of the output it spends"
            case .unbalanced: return "outputs plus fee do not equal the inputs"
            case .malformed: return "the transaction does not decode"
            }
        }
    }

    /// Checks `tx`, included in operator block `block`, against the outputs its used inputs spend
    /// (`spent[i]` for input i; nil when that output does not exist). Returns the first violation.
    /// `signers`, when given, are the already recovered signers (so a caller can recover in parallel).
    public static func violation(of tx: PlasmaTransaction, inBlock block: UInt64, spent: [PlasmaTransaction.Output?],
                                 signers known: [Address?]? = nil) -> Violation? {
        if tx.isDeposit { return .createsValue }
        var amounts = [UInt256]()
        for i in 0..<2 where !tx.inputs[i].isNone {
            if tx.inputs[i].blockNumber >= block { return .spendsLaterOutput(input: i) }
            guard i < spent.count, let output = spent[i], !output.isNone else { return .spendsMissingOutput(input: i) }
            amounts.append(output.amount)
        }
        let signers: [Address?]
        if let known { signers = known } else {
        do { signers = try tx.signers() } catch let PlasmaError.missingSignature(i) { return .wrongSigner(input: i) } catch let PlasmaError.badSignature(i, _) {
            return .wrongSigner(input: i)
        } catch { return .wrongSigner(input: 0) }
        }
        for i in 0..<2 where !tx.inputs[i].isNone {
            if signers[i] != spent[i]?.owner { return .wrongSigner(input: i) }
        }
        do { try tx.checkBalance(inputAmounts: amounts) } catch { return .unbalanced }
        return nil
    }
}
