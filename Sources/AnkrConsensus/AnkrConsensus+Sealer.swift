import AnkrChain
import AnkrEnclave

extension AnkrConsensus {
    /// What a mining node brings to PoUW: its enclave, where paid work comes from, its duty cycle.
    public struct Miner: Sendable {
        public var enclave: Enclave
        public var workSource: WorkSource?
        /// Share of the time spent computing (see ``PoUWSealer/duty``).
        public var duty: Double

        public init(enclave: Enclave, workSource: WorkSource? = nil, duty: Double = 1) {
            self.enclave = enclave; self.workSource = workSource; self.duty = duty
        }
    }

    /// The sealer a chain's rules call for: PoUW when `pouw` is given (validating every seal, and
    /// mining when `miner` is given too), else the development sealer.
    public static func sealer(pouw: PoUWParameters?, miner: Miner?) throws -> any Sealer {
        guard let pouw else { return DevSealer() }
        return try PoUWSealer(parameters: pouw, enclave: miner?.enclave, workSource: miner?.workSource, duty: miner?.duty ?? 1)
    }
}
