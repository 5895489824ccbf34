import AnkrEVMCommand

/// `ankr-evm`: `ankr evm` alone, without the node. The conformance suites build it optimized in a fraction of the
/// time the whole `ankr` takes, and it answers exactly as `ankr evm` does (the same command type).
@main
struct AnkrEVMMain {
    static func main() { EVMCommand.main() }
}
