import ArgumentParser

/// `ankr-bench`: throughput benchmarks of Ankr's parts, each against a baseline measured in the same
/// run. A separate executable, so the shipped `ankr` binary carries no benchmark code.
@main
struct AnkrBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ankr-bench",
        abstract: "Benchmarks with same-run baselines (build with -c release for meaningful numbers).",
        subcommands: [PrimitivesBench.self, ChainBench.self, RPCBench.self, P2PBench.self, WorkBench.self, PoUWBench.self, PlasmaBench.self,
                      OracleBench.self, EVMBench.self, AssetsBench.self, DCAPBench.self, SubscriptionBench.self, KZGBench.self, AppChainBench.self])
}
