import ArgumentParser

/// `ankr bench`: throughput benchmarks, each against a baseline measured in the same run.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks with same-run baselines (build with -c release for meaningful numbers).",
        subcommands: [PrimitivesBench.self, ChainBench.self, RPCBench.self, P2PBench.self, WorkBench.self, PoUWBench.self, PlasmaBench.self, OracleBench.self, EVMBench.self, AssetsBench.self])
}
