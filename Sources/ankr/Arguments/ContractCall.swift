import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// A contract transaction or view from the command line: who signs (`SignerOptions`), which node
/// (`RPCOption`) and how deep a transaction must be before it counts (`ConfirmationsOption`). `send`
/// signs, sends and waits for success that deep; events are read back from the receipt.
struct ContractCall: ParsableArguments {
    @OptionGroup var account: SignerOptions
    @OptionGroup var node: RPCOption
    @OptionGroup var confirmation: ConfirmationsOption

    func transactor() throws -> Transactor { Transactor(rpc: try node.client(), signer: try account.signer()) }

    /// Sends `data` (with `value`) to `to`, waits for success `--confirmations` deep and returns the
    /// hash and the receipt's logs (from the block that holds it then).
    func send(to: Address, value: UInt256 = .zero, data: [UInt8], minimumGas: UInt64 = 0) throws -> (hash: H256, logs: [EthClient.Log]) {
        let transactor = try transactor()
        let transaction = try transactor.sign(to: to, value: value, data: data, minimumGas: minimumGas)
        let hash = try transactor.client.send(transaction)
        return (hash, try confirmation.waitForSuccess(hash, resending: transaction.encoded, with: transactor).logs)
    }

    /// Deploys `code` (initcode and constructor arguments) and waits for success `--confirmations` deep.
    func deploy(_ code: [UInt8]) throws -> (hash: H256, address: Address) {
        let transactor = try transactor()
        return try transactor.deploy(code, confirmations: try confirmation.count(on: transactor.client), progress: ConfirmationsOption.report)
    }

    /// A view through `eth_call` at the latest block (as `from` when given), decoded as `returns`.
    func view(_ contract: Address, _ signature: String, _ args: [ABIValue] = [], returns: [ABIType], from: Address? = nil) throws -> [ABIValue] {
        let out = try EthClient(rpc: try node.client()).call(EthClient.CallRequest(from: from, to: contract, data: try ABI.encodeCall(signature, args)))
        return try ABI.decode(returns, from: out)
    }

    /// The view `name` of a contract `interface`, through `eth_call`.
    func view(_ contract: Address, _ interface: ContractInterface, _ name: String, _ args: [ABIValue] = [], from: Address? = nil) throws -> [ABIValue] {
        guard let f = interface.functions.first(where: { $0.name == name }) else { throw CommandFailure("the contract has no \(name)") }
        return try view(contract, f.signature, args, returns: f.outputTypes, from: from)
    }

    /// Sends a call of `name` in a contract `interface`; see ``send(to:value:data:minimumGas:)``.
    func send(_ contract: Address, _ interface: ContractInterface, _ name: String, _ args: [ABIValue], value: UInt256 = .zero) throws -> (hash: H256, logs: [EthClient.Log]) {
        guard let f = interface.functions.first(where: { $0.name == name }) else { throw CommandFailure("the contract has no \(name)") }
        return try send(to: contract, value: value, data: try ABI.encodeCall(f.signature, args))
    }

    /// The topics of the first log of `event` in `logs`.
    static func topics(of event: String, in logs: [EthClient.Log], interface: ContractInterface) -> [H256]? {
        guard let topic = interface.event(named: event)?.topic else { return nil }
        return logs.first { $0.topics.first == topic }?.topics
    }
}
