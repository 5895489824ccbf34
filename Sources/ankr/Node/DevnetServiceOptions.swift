import ArgumentParser

/// `ankr devnet`'s options for the services started beside the nodes.
struct DevnetServiceOptions: ParsableArguments {
    @Option(name: .customLong("with"),
            help: ArgumentHelp("Services beside the nodes, comma-separated: plasma (a child chain and its operator), oracle (a relay with its simulated enclave and a local HTTPS data source), appchain (an e-commerce application chain and its operator's node), realestate (a real-estate application chain, its operator's node and, with oracle, its relay).",
                               valueName: "services"),
            transform: DevnetService.list)
    var services: [DevnetService] = []

    @Option(name: .customLong("plasma.port"), help: "The child chain operator's JSON-RPC port (0 picks a free one).")
    var plasmaPort = 8600

    @Option(name: .customLong("source.port"), help: "The local HTTPS data source's port (0 picks a free one).")
    var sourcePort = 8443

    @Option(name: .customLong("appchain.port"), help: "The application chain's JSON-RPC port (0 picks a free one).")
    var appChainPort = 8700

    @Option(name: .customLong("realestate.port"), help: "The real-estate application chain's JSON-RPC port (0 picks a free one).")
    var realEstatePort = 8701

    func validate() throws {
        guard (0...65535).contains(plasmaPort), (0...65535).contains(sourcePort), (0...65535).contains(appChainPort), (0...65535).contains(realEstatePort) else {
            throw ValidationError("ports must be between 0 and 65535")
        }
    }
}
