extension Mempool {
    /// Keeps the pool on `chain`'s head: after each new head, included transactions leave, orphaned
    /// ones come back, and the rest are checked against the new state. Returns the subscription.
    @discardableResult
    public func follow(_ chain: Blockchain) -> EventFeed<BlockImport>.Subscription {
        // Weak both ways: the chain's feed holds this handler, so a strong chain would never be freed.
        chain.imports.subscribe { [weak self, weak chain] event in
            guard let self, let chain, event.isNewHead else { return }
            let head = event.block.header
            // A pool that cannot read the state keeps its transactions; the next head tries again.
            try? self.update(state: chain.state(at: head), head: head, orphaned: event.orphaned)
        }
    }
}
