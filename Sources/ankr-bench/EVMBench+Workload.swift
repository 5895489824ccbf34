import AnkrPrimitives

extension EVMBench {
    /// One benchmark program: the code of the called contract and any other contracts it calls.
    struct Workload {
        let name: String
        let code: [UInt8]
        /// Further contracts in the pre-state: (address as 0x-prefixed hex, code).
        var accounts: [(address: String, code: [UInt8])] = []

        /// A call to a contract that stops at once: the fixed cost of a run, subtracted from every workload's time.
        static let empty = Workload(name: "empty run", code: [0x00])
    }
}
