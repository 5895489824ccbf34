import AnkrCommandLine
import AnkrPrimitives
import ArgumentParser

struct ABIEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abi-encode",
        abstract: "ABI-encode arguments for a signature such as 'transfer(address,uint256)' or '(uint256,bytes)'.")

    @Argument(help: "Function signature or parenthesized type list.")
    var signature: String

    @Argument(help: "One argument per parameter: numbers (decimal or 0x), hex, true/false, text, [a,b], (a,b).")
    var arguments: [String] = []

    @Flag(name: .long, help: "Prefix the 4-byte function selector (call data).")
    var calldata = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let types: [ABIType]
            var selector: [UInt8] = []
            if signature.trimmingCharacters(in: .whitespaces).hasPrefix("(") {
                guard !calldata else { throw CommandFailure("--calldata needs a function name, e.g. 'transfer(address,uint256)'") }
                types = try ABIType.parseList(signature)
            } else {
                types = try ABI.parseSignature(signature).types
                if calldata { selector = try ABI.selector(signature) }
            }
            guard arguments.count == types.count else {
                throw CommandFailure("\(signature) takes \(types.count) arguments, got \(arguments.count)")
            }
            let values = try zip(arguments, types).map { try ABIValue(parsing: $0, as: $1) }
            let hex = (selector + (try ABI.encode(values, types: types))).hexPrefixed
            output.emit(json: ["data": .string(hex)], text: hex)
        }
    }
}

struct ABIDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abi-decode",
        abstract: "Decode ABI data for types such as '(uint256,string)'; with a function signature, data starts with its selector.")

    @Argument(help: "Type list '(t1,t2)' or function signature 'f(t1,t2)'.")
    var types: String

    @Argument(help: "ABI-encoded data as hex.")
    var data: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            var bytes = try Hex.decode(data)
            let list: [ABIType]
            if types.trimmingCharacters(in: .whitespaces).hasPrefix("(") || !types.contains("(") {
                list = try ABIType.parseList(types)
            } else {
                list = try ABI.parseSignature(types).types
                let selector = try ABI.selector(types)
                guard bytes.count >= 4, Array(bytes.prefix(4)) == selector else {
                    throw CommandFailure("data does not start with the selector \(selector.hexPrefixed) of \(types)")
                }
                bytes.removeFirst(4)
            }
            let values = try ABI.decode(list, from: bytes)
            if output.json {
                JSONOutput.print(.array(values.map { .string($0.description) }))
            } else {
                for v in values { print(v.description) }
            }
        }
    }
}
