import Foundation

extension ContractInterface {
    /// One entry of the ABI JSON: a function (`outputs`, `stateMutability`) or an event (`anonymous`).
    private struct ABIEntry: Encodable {
        struct Parameter: Encodable {
            var name: String
            var type: String
            /// Only events mark their parameters.
            var indexed: Bool?
        }

        var type: String
        var name: String
        var inputs: [Parameter]
        var outputs: [Parameter]?
        var stateMutability: String?
        var anonymous: Bool?
    }

    /// The ABI JSON that web3.py, ethers and the Solidity/Vyper compilers read: pretty-printed with
    /// sorted keys, the form of the files in `abi/`.
    public var json: String {
        func parameters(_ ps: [Parameter], event: Bool) -> [ABIEntry.Parameter] {
            ps.map { ABIEntry.Parameter(name: $0.name, type: $0.type.description, indexed: event ? $0.indexed : nil) }
        }
        let entries = functions.map { f in
            ABIEntry(type: "function", name: f.name, inputs: parameters(f.inputs, event: false), outputs: parameters(f.outputs, event: false),
                     stateMutability: f.mutability.rawValue)
        } + events.map { e in
            ABIEntry(type: "event", name: e.name, inputs: parameters(e.parameters, event: true), anonymous: false)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Strings, booleans and arrays of them always encode.
        let data = (try? encoder.encode(entries)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
