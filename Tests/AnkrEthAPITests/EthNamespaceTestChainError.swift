/// Why a call to ``EthNamespaceTestChain`` gave no usable answer.
enum EthNamespaceTestChainError: Error {
    case noReply(String)
    case answeredError(String, String)
}
