import AnkrStorage

extension StorageError: LocalImportFailure {
    /// This node's database could not take the block (a full disk, an earlier failed write): no
    /// verdict on the block, so the peer that sent it is not punished.
    public var isLocal: Bool { true }
}
