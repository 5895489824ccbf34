import AnkrCommandLine
import AnkrPlasma
import AnkrPrimitives
import ArgumentParser

/// A child-chain output on the command line: `block:tx:output` (`1000:0:1`) or its encoded integer
/// (decimal or `0x`), within the ranges a position can hold.
extension UTXOPosition: ExpressibleByArgument {
    public init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3 {
            guard let block = UInt64(parts[0]), let tx = UInt64(parts[1]), let output = UInt64(parts[2]),
                  let position = try? UTXOPosition(blockNumber: block, txIndex: tx, outputIndex: output) else { return nil }
            self = position
            return
        }
        guard let encoded = try? UInt256(parsing: argument), let position = try? UTXOPosition(encoded: encoded) else { return nil }
        self = position
    }
}
