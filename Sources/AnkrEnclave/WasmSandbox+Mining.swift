import AnkrCrypto
import AnkrPrimitives
import AnkrSandbox

extension WasmSandbox {
    /// One metered subtask and the lottery for the fuel it used, with 16 bytes of `randomness`
    /// drawn after the run (so the outcome of the draw cannot steer which subtask is run); a win is
    /// signed with `key` as the statement of exactly this run, for `template`.
    func mine(_ module: WorkModule, input: [UInt8], fuel: UInt64, target: UInt256, deadline: Duration, template: H256, subtaskID: H256,
              key: PrivateKey, randomness: () throws -> [UInt8]) throws -> MinedSubtask {
        let result = try run(module, input: input, fuel: fuel, deadline: deadline)
        guard Lottery.draw(target: target, instructions: result.fuelUsed, randomness: try randomness()) else {
            return MinedSubtask(output: result.output, fuelUsed: result.fuelUsed, won: false)
        }
        let statement = PoUWStatement(winning: module, input: input, output: result.output, fuel: result.fuelUsed, template: template,
                                      target: target, subtaskID: subtaskID)
        return MinedSubtask(output: result.output, fuelUsed: result.fuelUsed, won: true, statementSignature: try key.sign(hash: statement.hash).rsv)
    }
}
