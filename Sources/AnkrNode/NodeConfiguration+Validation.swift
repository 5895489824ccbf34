import AnkrRPC
import Foundation
import Logging

extension NodeConfiguration {
    /// Range checks shared by the file and the flags, run on the merged settings.
    public func validate() throws(NodeConfigurationError) {
        guard devPeriod >= 0, devPeriod <= 3600 else { throw .outOfRange(key: "dev.period", range: "0 and 3600 seconds") }
        guard (0...65535).contains(httpPort) else { throw .outOfRange(key: "http.port", range: "0 and 65535") }
        guard !httpAPI.isEmpty else { throw .noAPIs }
        let unknown = httpAPI.filter { !RPCLimits.knownAPIs.contains($0) }
        guard unknown.isEmpty else { throw .unknownAPIs(unknown) }
        // The RPC server keeps a thread for each.
        guard (0...256).contains(rpcMaxConcurrent) else { throw .outOfRange(key: "rpc.maxconcurrent", range: "0 and 256") }
        guard (0...65535).contains(p2pPort) else { throw .outOfRange(key: "p2p.port", range: "0 and 65535") }
        guard maxPeers >= 1, maxPeers <= 1000 else { throw .outOfRange(key: "p2p.maxpeers", range: "1 and 1000") }
        guard mineDuty >= 0.01, mineDuty <= 1 else { throw .outOfRange(key: "mine.duty", range: "0.01 and 1") }
        if !appChainParent.isEmpty {
            guard let url = URL(string: appChainParent), url.scheme == "http" || url.scheme == "https" else {
                throw .outOfRange(key: "appchain.parent", range: "http(s) URLs")
            }
            guard appChainConfirmations <= 1_000 else { throw .outOfRange(key: "appchain.confirmations", range: "0 and 1000") }
            guard appChainID >= 1, appChainID <= 65_535 else { throw .outOfRange(key: "appchain.id", range: "1 and 65535") }
            guard !operatorKey.isEmpty else { throw .outOfRange(key: "operator.key", range: "key files (a chain that commits needs its operator's key)") }
        }
    }

    /// The log level names, as errors and the dumped file list them.
    public static let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")

    /// A duration as geth writes one: `5s`, `300ms`, `1.5s`, `2m`, `1h`, or plain seconds; `0` is none.
    public static func duration(_ text: String, setting: NodeConfigurationError.Setting) throws(NodeConfigurationError) -> Duration {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]
        let (number, scale) = units.first { t.hasSuffix($0.0) }.map { (String(t.dropLast($0.0.count)), $0.1) } ?? (t, 1_000)
        // 0 means "no limit"; a positive value that rounds to 0 ms would silently mean the same, so it is refused.
        guard let value = Double(number), value.isFinite, value >= 0, value * scale <= 3_600_000,
              value == 0 || (value * scale).rounded() >= 1 else {
            throw .invalidDuration(setting, text: text)
        }
        return .milliseconds(Int64((value * scale).rounded()))
    }

    static func logLevel(_ text: String, setting: NodeConfigurationError.Setting) throws(NodeConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text) else { throw .unknownLogLevel(setting, text: text) }
        return level
    }
}
