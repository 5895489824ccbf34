import AnkrPrimitives

extension SystemContract {
    /// Runs the view `name` of this contract's interface on `state` as `caller` and decodes its
    /// outputs. For node-side readers (RPC namespaces, the asset API) that want the contract's own
    /// answer without building a transaction; the gas is capped like `eth_call`'s.
    public func view(_ name: String, _ arguments: [ABIValue], state: WorldState, block: BlockContext,
                     caller: Address = .zero, gas: UInt64 = 50_000_000) throws -> [ABIValue] {
        guard let f = interface.functions.first(where: { $0.name == name }) else { throw SystemCallError.badArguments("\(self.name) has no \(name)") }
        let input = try ABI.encodeCall(f.signature, arguments)
        let result = try call(SystemCall(address: address, caller: caller, value: .zero, input: input, gasAvailable: gas, block: block), state: state)
        return try ABI.decode(f.outputTypes, from: result.output)
    }
}
