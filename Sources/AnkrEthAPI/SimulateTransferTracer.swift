import AnkrChain
import AnkrEVM
import AnkrPrimitives

/// `eth_simulateV1`'s traceTransfers, as geth's log tracer: every frame that moves ether (a CALL or a
/// creation with value; DELEGATECALL moves none) adds an ERC-20 `Transfer(from, to, value)` log from
/// 0xeeee…eeee, in order with the contracts' own logs; a frame that fails takes its logs with it.
final class SimulateTransferTracer: EVMTracer {
    /// Where the transfer logs come from, as the spec fixes it.
    static let emitter = try! Address([UInt8](repeating: 0xee, count: 20))
    /// keccak256("Transfer(address,address,uint256)").
    static let transferTopic = Keccak256.h256(Array("Transfer(address,address,uint256)".utf8))

    /// The logs of each open frame, innermost last.
    private var frames: [[Log]] = []
    /// The logs of the finished top frame.
    private(set) var logs: [Log] = []

    func enterFrame(_ frame: TracedFrame) {
        frames.append([])
        guard let value = frame.value, !value.isZero, frame.kind != .delegatecall else { return }
        frames[frames.count - 1].append(Self.transfer(from: frame.from, to: frame.to, value: value))
    }

    func step(_ step: TracedStep) {}

    func stepEnded(gasCost: UInt64, error: String?) {}

    func log(_ log: EVMLog) {
        guard !frames.isEmpty else { return }
        frames[frames.count - 1].append(Log(address: log.address, topics: log.topics, data: log.data))
    }

    func exitFrame(_ exit: TracedFrameExit) {
        guard let finished = frames.popLast() else { return }
        let kept = exit.status == .success ? finished : []
        if frames.isEmpty {
            logs = kept
        } else {
            frames[frames.count - 1] += kept
        }
    }

    /// The ERC-20 Transfer event for `value` wei moving `from` → `to`.
    static func transfer(from: Address, to: Address, value: UInt256) -> Log {
        func word(_ a: Address) -> H256 { H256(word: UInt256(bigEndian: [UInt8](repeating: 0, count: 12) + a.bytes) ?? .zero) }
        return Log(address: emitter, topics: [transferTopic, word(from), word(to)], data: value.bigEndianBytes)
    }
}
