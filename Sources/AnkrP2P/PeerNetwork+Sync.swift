import AnkrChain
import AnkrPrimitives
import Foundation

/// Header-first sync, and answering other peers' header and body requests.
///
/// A peer's claimed total difficulty (from `status` or `newBlock`) is only a hint of where to sync
/// from. A peer that claims more than it delivers — an empty answer, no answer, headers whose
/// bodies nobody has — is passed over for a while (`syncPenalty`, doubling) and the syncer moves
/// on to the next peer, so no single peer can pin the sync target.
extension PeerNetwork {
    enum SyncOutcome {
        /// We hold at least what the peer claimed.
        case caughtUp
        /// The peer claimed more than it delivered.
        case fellShort(String)
        /// The peer is gone (closed, or banned for sending something invalid).
        case dropped
    }

    /// The peer to sync from: ready, not passed over, and claiming the most total difficulty above ours.
    func bestSyncPeer(above ours: UInt256, excluding tried: Set<ObjectIdentifier>) -> PeerSession? {
        lock.withLock { sessions.values.filter { $0.phase == .ready && !tried.contains(ObjectIdentifier($0)) } }
            .filter { !$0.isSyncBenched && ($0.status?.totalDifficulty ?? .zero) > ours }
            .max { ($0.status?.totalDifficulty ?? .zero) < ($1.status?.totalDifficulty ?? .zero) }
    }

    /// Starts a sync run when some peer we still trust claims more total difficulty than we have.
    func considerSync() {
        guard bestSyncPeer(above: ourStatus.totalDifficulty, excluding: []) != nil else { return }
        let start = lock.withLock { () -> Bool in
            if syncing { return false }
            syncing = true
            syncStart = chain.head.number
            return true
        }
        guard start else { return }
        work.async { [self] in
            defer { lock.withLock { syncing = false; syncStart = nil } }
            runSync()
        }
    }

    /// Syncs from the heaviest claimed peer; when it falls short, it is passed over and the next one
    /// is tried, each peer once per run.
    private func runSync() {
        var tried = Set<ObjectIdentifier>()
        while let peer = bestSyncPeer(above: ourStatus.totalDifficulty, excluding: tried) {
            tried.insert(ObjectIdentifier(peer))
            let outcome = sync(from: peer)
            // What we now know of the peer's head replaces its claim.
            if let st = peer.status, let td = (try? chain.totalDifficulty(st.headHash)) ?? nil {
                peer.status = ChainStatus(headNumber: st.headNumber, headHash: st.headHash, totalDifficulty: td)
            }
            if case .fellShort(let why) = outcome {
                peer.benchForSync(base: configuration.syncPenalty)
                logger.info("passing over sync peer", metadata: ["peer": "\(peer.nodeID?.prefix(12) ?? "?")", "reason": "\(why)"])
            }
        }
    }

    /// Header-first sync from one peer: headers in batches, then their bodies, each block fully
    /// validated and imported; resumes from our head, so a restart simply continues. Anything
    /// invalid gets the peer banned.
    func sync(from s: PeerSession) -> SyncOutcome {
        let batch: UInt64 = 192
        var next = chain.head.number &+ 1
        while true {
            guard s.phase == .ready else { return .dropped }
            guard let claim = s.status?.totalDifficulty, claim > ourStatus.totalDifficulty else { return .caughtUp }
            // Walk back until the peer's chain links onto a block we have (the fork point).
            var start = next
            var headers: [BlockHeader] = []
            while true {
                guard let reply = s.request(timeout: configuration.requestTimeout, { .getHeaders(requestID: $0, start: start, count: batch) }) else {
                    return s.phase == .ready ? .fellShort("no answer to headers from \(start)") : .dropped
                }
                guard case .headers(_, let hs) = reply else { misbehaved(s, "answered a header request with another message"); return .dropped }
                guard let first = hs.first else {
                    return .fellShort("no headers from \(start) though it claims total difficulty \(claim)")
                }
                guard hs.count <= Int(batch) else { misbehaved(s, "\(hs.count) headers, asked for \(batch)"); return .dropped }
                guard first.number == start else { misbehaved(s, "headers start at \(first.number), asked for \(start)"); return .dropped }
                if (try? chain.header(hash: first.parentHash)) ?? nil != nil {
                    headers = hs
                    break
                }
                guard start > 1 else { misbehaved(s, "chain does not share our genesis"); return .dropped }
                start = start > 64 ? start - 64 : 1
            }
            // Numbers come from the peer: compare without `+ 1`, which would trap at UInt64.max.
            for (a, b) in zip(headers, headers.dropFirst()) where b.parentHash != a.hash || a.number == .max || b.number != a.number + 1 {
                misbehaved(s, "headers do not link at \(b.number)")
                return .dropped
            }
            guard let last = headers.last?.number, last < .max else { misbehaved(s, "header number \(UInt64.max) has no successor"); return .dropped }
            guard let stored = fetchBodiesAndImport(headers, from: s) else {
                return s.phase == .ready ? .fellShort("bodies for headers \(start)…\(last) are not available") : .dropped
            }
            if stored == 0 && ourStatus.totalDifficulty < claim {
                return .fellShort("headers \(start)…\(last) brought nothing new")
            }
            next = last + 1
            logger.info("synced", metadata: ["head": "\(chain.head.number)", "peer": "\(s.nodeID?.prefix(12) ?? "?")"])
        }
    }

    /// Fetches bodies for linked headers, in chunks spread over every peer that has them (in
    /// parallel), then imports the blocks in order. Answers may be shorter than asked (a responder
    /// caps its answer in bytes): the rest is asked for again. Returns how many blocks were new,
    /// nil when some body could not be had or a block was invalid.
    private func fetchBodiesAndImport(_ headers: [BlockHeader], from s: PeerSession) -> Int? {
        let chunkSize = 64
        let chunks = stride(from: 0, to: headers.count, by: chunkSize).map { Array(headers[$0..<min(headers.count, $0 + chunkSize)]) }
        let candidates = lock.withLock { sessions.values.filter { $0.phase == .ready } }
        let results = BodiesBox(count: chunks.count)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
            let chunk = chunks[i]
            guard let top = chunk.last?.number else { return }
            // Round-robin over peers whose head is high enough; the sync peer always qualifies.
            let able = candidates.filter { $0 === s || ($0.status?.headNumber ?? 0) >= top }
            let order = able.isEmpty ? [s] : Array(able[(i % able.count)...] + able[..<(i % able.count)])
            var bodies: [[Transaction]] = []
            for peer in order.prefix(2) + (order.prefix(2).contains { $0 === s } ? [] : [s]) {
                bodies += fetchBodies(Array(chunk[bodies.count...]), from: peer)
                if bodies.count == chunk.count {
                    results.set(i, bodies)
                    return
                }
            }
        }
        // The blocks up to the first chunk nobody gave, imported as one batch (their senders are
        // recovered ahead on the other cores).
        var blocks = [Block]()
        var complete = true
        for i in chunks.indices {
            guard let bodies = results.get(i) else {
                complete = false
                break
            }
            blocks += zip(chunks[i], bodies).map { Block(header: $0, transactions: $1) }
        }
        var stored = 0, done = 0
        do {
            try chain.importBlocks(blocks) { _, result in
                done += 1
                if case .known = result { return }
                stored += 1
            }
        } catch {
            // `importBlocks` throws for the block after the last one it imported.
            let number = done < blocks.count ? blocks[done].number : 0
            if let e = error as? LocalImportFailure, e.isLocal {
                // Not a verdict on the block: stop this round without punishing the peer.
                logger.info("block refused for now", metadata: ["block": "\(number)", "reason": "\(e)"])
            } else {
                misbehaved(s, "invalid block \(number): \(error)")
            }
            return nil
        }
        return complete ? stored : nil
    }

    /// As many of `headers`' bodies, in order, as one peer will give; it is asked again for the
    /// rest after each short answer. An empty answer means it has no more (never a ban: a peer
    /// need not have blocks someone else announced).
    private func fetchBodies(_ headers: [BlockHeader], from peer: PeerSession) -> [[Transaction]] {
        var got: [[Transaction]] = []
        while got.count < headers.count, peer.phase == .ready {
            let wanted = headers[got.count...]
            guard let reply = peer.request(timeout: configuration.requestTimeout, { .getBodies(requestID: $0, wanted.map(\.hash)) }),
                  case .bodies(_, let bodies) = reply, !bodies.isEmpty else { break }
            guard bodies.count <= wanted.count else {
                misbehaved(peer, "\(bodies.count) bodies for \(wanted.count) hashes")
                break
            }
            // A body must match its header's transactions root, whoever sent it.
            guard zip(wanted, bodies).allSatisfy({ Block.transactionsRoot($1) == $0.transactionsRoot }) else {
                misbehaved(peer, "block bodies do not match their headers")
                break
            }
            got += bodies
        }
        return got
    }

    // MARK: Serving

    /// Our canonical headers from `start`, at most `count` and about `Message.softResponseBytes`.
    func headers(from start: UInt64, count: UInt64) -> [BlockHeader] {
        var headers = [BlockHeader]()
        var bytes = 0
        var n = start
        while UInt64(headers.count) < count, bytes < Message.softResponseBytes, let h = (try? chain.header(number: n)) ?? nil {
            headers.append(h)
            bytes += h.encoded.count
            guard n < .max else { break }
            n += 1
        }
        return headers
    }

    /// The bodies of the blocks asked for, in order, stopping at the first we lack (the requester
    /// asks someone else) and once the answer passes `Message.softResponseBytes` — but always the
    /// first body, however large, so every block can be fetched (the frame limit allows the
    /// largest block our gas limit permits; see ``Message/frameLimit(gasLimit:)``).
    func bodies(for hashes: [H256]) -> [[Transaction]] {
        var bodies = [[Transaction]]()
        var bytes = 0
        for hash in hashes {
            guard let block = (try? chain.block(hash: hash)) ?? nil else { break }
            let size = Message.encodedBytes(ofBody: block.transactions)
            if !bodies.isEmpty && bytes + size > Message.softResponseBytes { break }
            bodies.append(block.transactions)
            bytes += size
        }
        return bodies
    }

    final class BodiesBox: @unchecked Sendable {
        private var slots: [[[Transaction]]?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ v: [[Transaction]]) { lock.withLock { slots[i] = v } }
        func get(_ i: Int) -> [[Transaction]]? { lock.withLock { slots[i] } }
    }
}
