import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrOracle
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

extension OracleCommand {
    /// What a scheduled feed asks each round: one URL and JSON pointer, or the median of several URLs.
    struct FeedSourceOptions: ParsableArguments {
        @Option(help: "Source URL (https); give several for a median.") var url: [String]
        @Option(help: "JSON pointer the value is read at.") var path: String
        @Option(help: "Scale numbers to this many decimals (255: the value as text).") var decimals: UInt8 = 0
        @Option(help: "Median: sources that must agree.") var quorum: UInt8?
        @Option(name: .customLong("max-deviation-bps"), help: "Median: how far (basis points) a source may be from the median.") var maxDeviationBps: UInt16 = 100

        /// The request kind and its ABI-encoded params.
        func request() throws -> (kind: OracleRequestKind, params: [UInt8]) {
            guard !url.isEmpty else { throw CommandFailure("give --url") }
            if url.count == 1 {
                return (.single, try ABI.encode([.string(url[0]), .string(path), .uint(UInt256(UInt64(decimals)))], types: [.string, .string, .uint(bits: 8)]))
            }
            let needed = quorum ?? UInt8(clamping: url.count / 2 + 1)
            let values: [ABIValue] = [.array(url.map { .string($0) }), .string(path), .uint(UInt256(UInt64(decimals))), .uint(UInt256(UInt64(needed))),
                                      .uint(UInt256(UInt64(maxDeviationBps)))]
            return (.median, try ABI.encode(values, types: [.array(.string), .string, .uint(bits: 8), .uint(bits: 8), .uint(bits: 16)]))
        }
    }

    struct Schedule: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a scheduled feed: NOS answers the same request every N blocks (or seconds), --updates times, prepaid; prints its id.")

        @OptionGroup var source: FeedSourceOptions
        @Option(name: .customLong("every-blocks"), help: "A round every this many blocks.") var everyBlocks: UInt64?
        @Option(name: .customLong("every-seconds"), help: "A round every this many seconds (block time).") var everySeconds: UInt64?
        @Option(help: "How many rounds (answers) to buy.") var updates: UInt32
        @Option(name: .customLong("max-gas-price"), help: "The most paid per gas of a delivery: wei or with a unit (default: twice the current base fee, at least 1 gwei).")
        var maxGasPrice: Amount?
        @Option(help: "Distinct oracle enclaves that must answer each round (k of n).") var enclaves: UInt8 = 1
        @Option(help: "Contract called back with each round's answer: callback(uint256 id, uint64 error, bytes data).") var callback: String?
        @Option(help: "The callback's 4-byte selector, 0x-hex (default: the selector of oracleCallback(uint256,uint64,bytes)).") var selector: String?
        @Option(help: "The escrow: wei or with a unit (default: the least the schedule needs).") var value: Amount?
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                guard (everyBlocks == nil) != (everySeconds == nil) else { throw CommandFailure("give one of --every-blocks and --every-seconds") }
                let (kind, params) = try source.request()
                let callbackAddress = try callback.map { text -> Address in
                    do { return try Address(hex: text) } catch { throw CommandFailure("--callback: not an address: \(text)") }
                } ?? .zero
                let selectorBytes: [UInt8]
                if let selector {
                    guard let bytes = try? Hex.decode(selector), bytes.count == 4 else { throw CommandFailure("--selector: 4 bytes of 0x-hex, not \(selector)") }
                    selectorBytes = bytes
                } else {
                    selectorBytes = callbackAddress == .zero ? [0, 0, 0, 0] : Array(Keccak256.hash(Array("oracleCallback(uint256,uint64,bytes)".utf8)).prefix(4))
                }
                let cap = try maxGasPrice?.wei ?? defaultCap()
                let type = UInt256(UInt64(kind.rawValue)), count = UInt256(UInt64(updates))
                let escrow = try value?.wei ?? (try call.view(NOSContract.address, NOSContract.interface, "scheduleEscrow",
                                                              [.uint(type), .bool(callbackAddress != .zero), .uint(cap), .uint(UInt256(UInt64(enclaves))), .uint(count)])
                        .first?.uintValue ?? .zero)
                let name = everySeconds == nil ? "schedule" : "scheduleSeconds"
                let period = UInt256(everyBlocks ?? everySeconds ?? 0)
                let (hash, logs) = try call.send(NOSContract.address, NOSContract.interface, name,
                                                 [.uint(type), .bytes(params), .address(callbackAddress), .fixedBytes(selectorBytes), .uint(cap),
                                                  .uint(UInt256(UInt64(enclaves))), .uint(period), .uint(count)], value: escrow)
                guard let topics = ContractCall.topics(of: "Scheduled", in: logs, interface: NOSContract.interface), topics.count > 1 else {
                    throw CommandFailure("no Scheduled event in \(hash)")
                }
                JSONOutput.print(pretty: true, ["scheduleId": .string(topics[1].word.description), "tx": .string(hash.description),
                                                "escrow": .string(escrow.description), "maxGasPrice": .string(cap.description)])
            }
        }

        /// Twice the head's base fee, at least 1 gwei: room for the base fee to rise while the feed runs.
        private func defaultCap() throws -> UInt256 {
            let base = try EthClient(rpc: try call.node.client()).block(number: .latest)?.baseFeePerGas ?? .zero
            let (doubled, overflow) = base.addingReportingOverflow(base)
            return overflow ? base : max(doubled, UInt256(1_000_000_000))
        }
    }

    struct Unschedule: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel your scheduled feed: the escrow of every round not yet opened comes back.")
        @Argument(help: "Schedule id.") var id: UInt256
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let (hash, logs) = try call.send(NOSContract.address, NOSContract.interface, "cancelSchedule", [.uint(id)])
                let refund = logs.lazy.compactMap { NOSContract.interface.decodeLog(topics: $0.topics, data: $0.data) }
                    .first { $0.event.name == "ScheduleCancelled" }?.arguments.last?.uintValue ?? .zero
                print("schedule \(id) cancelled: \(refund) wei refunded (\(hash))")
            }
        }
    }

    struct Feed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A scheduled feed: its terms, progress, escrow and latest answer.")
        @Argument(help: "Schedule id.") var id: UInt256
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let values = try call.view(NOSContract.address, NOSContract.interface, "getSchedule", [.uint(id)])
                guard let s = ScheduleState(values), s.requester != .zero else { throw CommandFailure("no schedule \(id)") }
                var out: [String: JSON] = [
                    "id": .string(id.description), "requester": .string(s.requester.checksummed), "type": .int(clamping: s.type),
                    "period": .int(clamping: s.period), "unit": .string(s.inSeconds ? "seconds" : "blocks"), "start": .int(clamping: s.start),
                    "updates": .int(clamping: s.updates), "nextRound": .int(clamping: s.nextRound), "status": .string("\(s.status)"),
                    "maxGasPrice": .string(s.maxGasPrice.description), "enclaves": .int(clamping: s.enclaves),
                    "escrowLeft": .string(s.escrowLeft.description), "escrowPerRound": .string(s.escrowPerRound.description),
                ]
                if s.due { out["dueRound"] = .int(clamping: s.dueRound) }
                // The newest completed round whatever its outcome; "latest" below is the newest answered without an error.
                if let round = s.latestRound { out["latestRound"] = .int(clamping: round) }
                let latest = try call.view(NOSContract.address, NOSContract.interface, "latestAnswer", [.uint(id)])
                if latest.first == .bool(true), let requestID = latest[2].uintValue, let kind = OracleRequestKind.parse(s.type)?.kind {
                    var answer = try OracleCommand.describe(id: requestID, kind: kind, type: s.type,
                                                            response: [.uint(UInt256(NOSContract.Status.delivered.rawValue)), latest[3], latest[4]], key: nil)
                    answer["round"] = .int(clamping: latest[1].uintValue?.uint64 ?? 0)
                    answer["block"] = .int(clamping: latest[5].uintValue?.uint64 ?? 0)
                    answer["time"] = .int(clamping: latest[6].uintValue?.uint64 ?? 0)
                    out["latest"] = .object(answer)
                }
                JSONOutput.print(pretty: true, .object(out))
            }
        }
    }
}
