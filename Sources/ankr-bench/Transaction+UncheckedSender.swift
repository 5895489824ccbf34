import AnkrChain
import AnkrPrimitives

extension Transaction {
    /// The sender, for benchmark setup where every signature is known good.
    var recoverSenderUnchecked: Address { (try? recoverSender()) ?? .zero }
}
