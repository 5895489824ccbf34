import AnkrChain
import AnkrPrimitives
import AnkrRPC
import Foundation
import Logging

/// Why the relay could not read a schedule.
public enum ScheduleReadError: Error, CustomStringConvertible, Equatable {
    /// `getSchedule` answered values that are not a schedule (a node answering nonsense).
    case malformed(UInt256)

    public var description: String {
        switch self {
        case .malformed(let id): return "the node's getSchedule(\(id)) answer is not a schedule"
        }
    }
}

extension OracleRelay.Round {
    /// Adds what another part of the round did.
    public mutating func merge(_ other: OracleRelay.Round) {
        delivered += other.delivered
        failed += other.failed
    }
}

extension OracleRelay {
    /// Answers the due rounds of every scheduled feed: scans new `Scheduled` logs up to `head`, asks
    /// the enclave for each due round (the datagram names the round's request id) and sends
    /// `deliverScheduled`, never at a gas price above the schedule's cap (while the base fee is above
    /// it, the round waits). Failures are logged and returned; the next round tries again.
    public func deliverScheduledRounds(head: UInt64) async -> Round {
        var round = Round()
        do { try scanSchedules(to: head) } catch {
            logger.error("cannot read the Scheduled logs", metadata: ["error": "\(error)"])
            return round
        }
        let feeds = scheduledFeeds.all
        guard !feeds.isEmpty else { return round }
        let baseFee: UInt256
        do { baseFee = try transactor.client.block(number: .latest)?.baseFeePerGas ?? .zero } catch {
            logger.error("cannot read the base fee", metadata: ["error": "\(error)"])
            return round
        }
        for feed in feeds {
            do {
                let state = try scheduleState(feed.id)
                if state.isOver {
                    scheduledFeeds.remove(feed.id)
                    continue
                }
                guard let (number, opens) = state.roundToAnswer, let schedule = feed.id.uint64 else { continue }
                let requestID = NOSContract.scheduledRoundID(schedule: schedule, round: number)
                // A k-of-n round already open: answer it only while it collects answers and this enclave has not answered
                // (the chain says so, after a restart too); a finished schedule with nothing left to answer is forgotten.
                if !opens, try !stillCollecting(requestID) {
                    if state.status != .active { scheduledFeeds.remove(feed.id) }
                    continue
                }
                guard baseFee <= state.maxGasPrice else {
                    if scheduledFeeds.startsWaiting(feed.id) {
                        logger.notice("waiting: base fee \(baseFee) above schedule \(feed.id)'s cap \(state.maxGasPrice)",
                                      metadata: ["schedule": "\(feed.id)", "round": "\(number)"])
                    }
                    continue
                }
                scheduledFeeds.stopsWaiting(feed.id)
                // As for requests: a k = 1 round is the published enclave's relay's to deliver; the others step in
                // only when it is still unanswered `fallbackBlocks` after this relay first saw it due.
                if state.enclaves == 1, try published() != oracle.enclave.publicKey.address,
                   head < scheduledFeeds.firstSeenDue(feed.id, round: number, head: head) &+ fallbackBlocks {
                    continue
                }
                let answer = try await oracle.answer(OracleRequest(id: requestID, type: feed.type, params: feed.params))
                let data = try ABI.encodeCall(NOSContract.deliverScheduledSignature,
                                              [.uint(feed.id), .uint(UInt256(UInt64(number))), .fixedBytes(answer.paramsHash.bytes),
                                               .uint(UInt256(answer.error.rawValue)), .bytes(answer.data), .bytes(answer.signature)])
                let gas = NOSContract.deliverScheduledGasLimit(dataBytes: state.enclaves > 1 ? NOSContract.maxDataBytes : answer.data.count,
                                                               callback: state.callback != .zero, enclaves: state.enclaves)
                let hash = try sendCapped(data: data, gasLimit: gas, baseFee: baseFee, cap: state.maxGasPrice)
                try transactor.waitForSuccess(hash, seconds: 60)
                round.delivered.append(answer)
                logger.info("delivered", metadata: ["schedule": "\(feed.id)", "round": "\(number)", "request": "\(requestID)", "error": "\(answer.error)",
                                                    "detail": "\(answer.detail)"])
            } catch {
                round.failed.append((feed.id, "\(error)"))
                logger.error("scheduled delivery failed", metadata: ["schedule": "\(feed.id)", "error": "\(error)"])
            }
        }
        return round
    }

    /// The enclave NOS publishes (`oracleKey`).
    private func published() throws -> Address {
        try NOSContract.interface.functions.first(where: { $0.name == "oracleKey" }).flatMap { f in
            try ABI.decode(f.outputTypes, from: try transactor.client.call(EthClient.CallRequest(to: NOSContract.address, data: try ABI.encodeCall(f.signature, []))))
                .first?.addressValue
        } ?? .zero
    }

    /// Reads `Scheduled` logs from after the last block scanned up to `head` (at most
    /// `maxBlocksPerRound` per call, like requests).
    private func scanSchedules(to head: UInt64) throws {
        guard let event = NOSContract.interface.event(named: "Scheduled") else { return }
        let from: UInt64
        if let scanned = scheduledFeeds.scannedBlock {
            guard scanned < head else { return }
            from = scanned + 1
        } else {
            from = 0
        }
        let to = head - from >= Self.maxBlocksPerRound ? from + (Self.maxBlocksPerRound - 1) : head
        var start = from
        while true {
            let end = to - start >= Self.blocksPerLogQuery ? start + (Self.blocksPerLogQuery - 1) : to
            let filter = EthClient.LogFilter(addresses: [NOSContract.address], topics: [[event.topic]], fromBlock: .number(start), toBlock: .number(end))
            for log in try transactor.client.logs(filter) {
                // A log the event's ABI does not decode is not a schedule anyone paid for: skipped.
                guard let decoded = NOSContract.interface.decodeLog(topics: log.topics, data: log.data), decoded.arguments.count == 8,
                      let id = decoded.arguments[0].uintValue, let type = decoded.arguments[2].uintValue?.uint64, let t = UInt8(exactly: type),
                      let params = decoded.arguments[3].bytesValue else { continue }
                scheduledFeeds.add(.init(id: id, type: t, params: params))
            }
            if end == to { break }
            start = end + 1
        }
        scheduledFeeds.scanned(to: to)
    }

    /// Whether round request `id` is pending and this relay's enclave has not answered it (the chain is
    /// how relays coordinate: after a restart nothing else remembers it).
    private func stillCollecting(_ id: UInt256) throws -> Bool {
        let status = try nosView("getRequest", [.uint(id)])[6].uintValue?.uint64
        guard status == NOSContract.Status.pending.rawValue else { return false }
        return try nosView("answeredBy", [.uint(id), .address(oracle.enclave.publicKey.address)]).first != .bool(true)
    }

    private func nosView(_ name: String, _ args: [ABIValue]) throws -> [ABIValue] {
        guard let f = NOSContract.interface.functions.first(where: { $0.name == name }) else { throw Failure.unknownFunction(name) }
        let out = try transactor.client.call(EthClient.CallRequest(to: NOSContract.address, data: try ABI.encodeCall(f.signature, args)))
        return try ABI.decode(f.outputTypes, from: out)
    }

    /// Schedule `id` as the head shows it.
    public func scheduleState(_ id: UInt256) throws -> ScheduleState {
        guard let state = ScheduleState(try nosView("getSchedule", [.uint(id)])) else { throw ScheduleReadError.malformed(id) }
        return state
    }

    /// Sends a NOS call whose effective gas price never exceeds `cap`: the fee cap is at most `cap`,
    /// and the tip at most what is left of it above the base fee.
    private func sendCapped(data: [UInt8], gasLimit: UInt64, baseFee: UInt256, cap: UInt256) throws -> H256 {
        let client = transactor.client
        let tip = try client.maxPriorityFee()
        // Twice the base fee plus the tip leaves room for it to rise, as the transactor's own batches do (saturating).
        let (doubled, o1) = baseFee.addingReportingOverflow(baseFee)
        let (wanted, o2) = doubled.addingReportingOverflow(tip)
        let maxFee = min(o1 || o2 ? UInt256.max : wanted, cap)
        let tx = try Transaction.dynamicFee(chainID: try client.chainID(), nonce: try client.nonce(of: transactor.signer.address),
                                            maxPriorityFeePerGas: min(tip, maxFee &- min(baseFee, maxFee)), maxFeePerGas: maxFee, gasLimit: gasLimit,
                                            to: NOSContract.address, value: .zero, data: data).signed(with: transactor.signer)
        return try client.send(tx)
    }
}
