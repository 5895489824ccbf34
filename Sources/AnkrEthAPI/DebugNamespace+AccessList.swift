import AnkrChain
import AnkrEVM
import AnkrPrimitives
import AnkrRPC

extension DebugNamespace {
    /// Most runs `eth_createAccessList` makes before giving up on a list that keeps growing (each run
    /// adds at least one entry, so a list this long is already far past what a transaction can use well).
    static let maxAccessListRuns = 256

    /// `eth_createAccessList`, with the access-list tracer.
    func registerAccessList(in table: RPCMethodTable) {
        table.register("eth_createAccessList", heavy: true) { p in
            try p.expect(min: 1, max: 2)
            let request = try EthNamespace.CallRequest(try p.object(0, "transaction"))
            let header = try requireHeader(p.value(1), "block")
            return try createAccessList(request, at: header)
        }
    }

    /// geth's algorithm: run the call with the list found so far, add every account and slot its opcodes
    /// touched (no bare sender, recipient or created contract, or precompile: those are warm anyway), and repeat until a
    /// run touches nothing new — a list changes the gas left, so the path a call takes can change with it.
    /// The answer is that list with the gas the last run used, and its failure when it failed.
    func createAccessList(_ request: EthNamespace.CallRequest, at header: BlockHeader) throws -> JSON {
        let gas = min(request.gas ?? header.gasLimit, header.gasLimit)
        let recipient = try request.to ?? EVM.createAddress(request.from, nonce: chain.state(at: header).nonce(request.from))
        let excluded = Set([request.from, recipient] + Precompiles.addresses)
        var list = DebugAccessList(request.accessList, excluding: excluded)
        return try timed(DebugTraceConfig()) { deadline in
            for _ in 0..<Self.maxAccessListRuns {
                let tracer = AccessListTracer(excluding: excluded)
                let result = try run(request, gas: gas, at: header, accessList: list.entries, deadline: deadline, tracer: tracer)
                var next = list
                next.add(tracer.accessList)
                guard next == list else { list = next; continue }
                var answer: [String: JSON] = ["accessList": list.json, "gasUsed": RPCFormat.q(result.gasUsed)]
                if result.reverted {
                    answer["error"] = "execution reverted"
                } else if !result.succeeded {
                    answer["error"] = .string(result.failure ?? "execution failed")
                }
                return .object(answer)
            }
            throw RPCError.server("access list still growing after \(Self.maxAccessListRuns) runs of the call")
        }
    }
}
