import AnkrChain
import AnkrPrimitives
import AnkrRPC

/// The node's `nos_` JSON-RPC methods, reading the NOS contract at the head:
/// `nos_getRequest(id)` (with its gas price cap, enclaves wanted, answers so far and escrow left), `nos_getResponse(id)`, `nos_oracle()` (the enclave key to encrypt private
/// params to) and `nos_requestCount()`. A private request's answer is returned as its ciphertext.
public struct NOSNamespace: Sendable {
    public let backend: RPCBackend

    public init(backend: RPCBackend) { self.backend = backend }

    private func view(_ name: String, _ args: [ABIValue]) throws -> [ABIValue] {
        let head = backend.chain.head
        // These views read storage only; they do not depend on the chain's fee rules.
        return try NOSContract(rules: OracleRules()).view(name, args, state: backend.chain.state(at: head),
                                                          block: BlockContext(header: head, chainID: backend.chain.chainID))
    }

    public func register(in table: RPCMethodTable) {
        table.register("nos_getRequest") { p in
            try p.expect(min: 1, max: 1)
            let id = try p.quantity(0, "request id")
            let r = try view("getRequest", [.uint(id)])
            guard let requester = r[0].addressValue, requester != .zero else { return .null }
            let type = r[1].uintValue?.uint64 ?? 0
            let status = NOSContract.Status.name(of: r[6].uintValue?.uint64 ?? 0)
            let terms = try view("requestTerms", [.uint(id)])
            return ["id": RPCFormat.q(id), "requester": .string(requester.checksummed), "type": RPCFormat.q(type),
                    "private": .bool(type & UInt64(OracleRequestKind.privateFlag) != 0), "paramsHash": RPCFormat.data(r[2].fixedBytesValue ?? []),
                    "fee": RPCFormat.q(r[3].uintValue ?? .zero), "callback": .string((r[4].addressValue ?? .zero).checksummed), "status": .string(status),
                    "requestedAt": RPCFormat.q(r[7].uintValue ?? .zero), "maxGasPrice": RPCFormat.q(terms[0].uintValue ?? .zero),
                    "enclaves": RPCFormat.q(terms[1].uintValue ?? .one), "answers": RPCFormat.q(terms[2].uintValue ?? .zero),
                    "escrowLeft": RPCFormat.q(terms[3].uintValue ?? .zero)]
        }
        table.register("nos_getResponse") { p in
            try p.expect(min: 1, max: 1)
            let r = try view("getResponse", [.uint(try p.quantity(0, "request id"))])
            guard r[0].uintValue == UInt256(NOSContract.Status.delivered.rawValue) else { return .null }
            let error = r[1].uintValue?.uint64 ?? 0
            return ["error": RPCFormat.q(error), "errorName": .string(OracleErrorCode(rawValue: error).map { "\($0)" } ?? "unknown"),
                    "data": RPCFormat.data(r[2].bytesValue ?? [])]
        }
        table.register("nos_oracle") { p in
            try p.expect(min: 0, max: 0)
            let r = try view("oracleKey", [])
            guard let enclave = r[0].addressValue, enclave != .zero else { return .null }
            return ["enclave": .string(enclave.checksummed), "publicKey": RPCFormat.data(r[1].bytesValue ?? [])]
        }
        table.register("nos_requestCount") { p in
            try p.expect(min: 0, max: 0)
            return RPCFormat.q(try view("requestCount", [])[0].uintValue ?? .zero)
        }
    }
}
