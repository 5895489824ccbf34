import AnkrCommandLine
import AnkrPrimitives
import ArgumentParser
import Foundation

struct RLPEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlp-encode",
        abstract: "RLP-encode JSON: arrays are lists, \"0x…\" strings hex bytes, other strings UTF-8, numbers integers, \"#123\" big integers.")

    @Argument(help: "A JSON value, e.g. '[\"0x01\", [\"dog\", 1024]]'.")
    var value: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let item = try Self.item(JSONOutput.parse(value, what: "the argument"))
            let hex = RLP.encode(item).hexPrefixed
            output.emit(json: ["rlp": .string(hex)], text: hex)
        }
    }

    static func item(_ json: JSON) throws -> RLPItem {
        switch json {
        case .string(let s):
            if s.hasPrefix("0x") { return .bytes(try Hex.decode(s)) }
            if s.hasPrefix("#") { return .uint(try UInt256(parsing: String(s.dropFirst()))) }
            return .bytes(Array(s.utf8))
        case .int, .double:
            // Only whole numbers survive a JSON number exactly; bigger ones go in "#…" strings.
            guard let n = json.int, n >= 0 else {
                throw CommandFailure("RLP integers must be non-negative whole numbers below 2^63 (use \"#…\" for bigger), got \(json.text)")
            }
            return .uint(UInt256(UInt64(n)))
        case .array(let a):
            return .list(try a.map(item))
        default:
            throw CommandFailure("cannot RLP-encode \(json.text); use strings, numbers and arrays")
        }
    }
}

struct RLPDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlp-decode", abstract: "Decode strict RLP into nested lists of hex strings.")

    @Argument(help: "RLP as hex.")
    var hex: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let item = try RLP.decode(Hex.decode(hex))
            if output.json {
                JSONOutput.print(Self.json(item))
            } else {
                Self.printTree(item, indent: "")
            }
        }
    }

    static func json(_ item: RLPItem) -> JSON {
        switch item {
        case .bytes(let b): return .string(b.hexPrefixed)
        case .list(let l): return .array(l.map(json))
        }
    }

    static func printTree(_ item: RLPItem, indent: String) {
        switch item {
        case .bytes(let b):
            print(indent + (b.isEmpty ? "0x" : b.hexPrefixed))
        case .list(let l):
            print(indent + "list (\(l.count) items)")
            for i in l { printTree(i, indent: indent + "  ") }
        }
    }
}
