import AnkrCommandLine
import AnkrCrypto
import AnkrOracle
import AnkrPrimitives
import AnkrRPC
import Foundation

extension OracleCommand {
    /// Sends NOS's capped request (`type`, `params`, no callback) escrowing `fee` (default: the least
    /// `cap` and `enclaves` need), prints its id — or with `wait` the answer, failing the command when
    /// the answer is a failure.
    static func submit(_ call: ContractCall, kind: OracleRequestKind, type: UInt8, params: [UInt8], cap: UInt256, enclaves: UInt8,
                       fee: UInt256?, wait: Bool, signer: PrivateKey) throws {
        let needed = try requiredEscrow(type: type, callback: false, cap: cap, enclaves: enclaves, call)
        let value = fee ?? needed
        guard value >= needed else { throw CommandFailure("--fee \(value) wei is below the \(needed) wei a cap of \(cap) wei per gas and \(enclaves) enclave(s) need") }
        let (hash, logs) = try call.send(to: NOSContract.address, value: value,
                                         data: try ABI.encodeCall(NOSContract.cappedRequestSignature, [.uint(UInt256(UInt64(type))), .bytes(params), .address(.zero),
                                                                                                      .fixedBytes([0, 0, 0, 0]), .uint(cap), .uint(UInt256(UInt64(enclaves)))]))
        guard let topics = ContractCall.topics(of: "RequestInfo", in: logs, interface: NOSContract.interface), topics.count > 1 else {
            throw CommandFailure("no RequestInfo event in \(hash)")
        }
        let id = topics[1].word
        guard wait else {
            JSONOutput.print(pretty: true, ["id": .string(id.description), "tx": .string(hash.description), "type": .int(clamping: type)])
            return
        }
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let r = try call.view(NOSContract.address, "getResponse(uint256)", [.uint(id)], returns: [.uint(bits: 8), .uint(bits: 64), .bytes])
            if r[0].uintValue == UInt256(NOSContract.Status.delivered.rawValue) {
                let answer = try describe(id: id, kind: kind, type: type, response: r, key: signer)
                JSONOutput.print(pretty: true, .object(answer))
                // The answer stays on stdout for scripts; a failure also ends the command as one.
                if let failure = failure(answer) { throw CommandFailure(failure) }
                return
            }
            Thread.sleep(forTimeInterval: 0.3)
        }
        throw CommandFailure("request \(id) was not answered within 120 s")
    }

    /// The cap a request states when none is given: twice the head's base fee, so a relay can deliver
    /// while the base fee at most doubles.
    static func defaultGasPriceCap(_ call: ContractCall) throws -> UInt256 {
        guard let baseFee = try EthClient(rpc: try call.node.client()).block(number: .latest)?.baseFeePerGas else { throw CommandFailure("the node reports no base fee") }
        let (doubled, overflow) = baseFee.addingReportingOverflow(baseFee)
        return overflow ? baseFee : doubled
    }

    /// NOS's least escrow for one answer of `type` at `cap` wei per gas.
    static func requiredEscrow(type: UInt8, callback: Bool, cap: UInt256, enclaves: UInt8 = 1, _ call: ContractCall) throws -> UInt256 {
        try call.view(NOSContract.address, "requiredEscrow(uint8,bool,uint256,uint8)",
                      [.uint(UInt256(UInt64(type))), .bool(callback), .uint(cap), .uint(UInt256(UInt64(enclaves)))],
                      returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
    }
}
