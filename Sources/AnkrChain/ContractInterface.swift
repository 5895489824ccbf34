import AnkrPrimitives

/// A system contract's Solidity interface, declared once: dispatch uses its selectors and argument
/// types, tools get the ABI JSON generated from it (so the two cannot drift apart).
public struct ContractInterface: Sendable {
    public struct Parameter: Sendable {
        public var name: String
        public var type: ABIType
        public var indexed: Bool

        public init(_ name: String, _ type: ABIType, indexed: Bool = false) {
            self.name = name; self.type = type; self.indexed = indexed
        }
    }

    public struct Function: Sendable {
        public enum Mutability: String, Sendable { case view, nonpayable, payable }
        public var name: String
        public var inputs: [Parameter]
        public var outputs: [Parameter]
        public var mutability: Mutability

        public init(_ name: String, _ inputs: [Parameter], returns outputs: [Parameter] = [], _ mutability: Mutability = .nonpayable) {
            self.name = name; self.inputs = inputs; self.outputs = outputs; self.mutability = mutability
        }

        public var signature: String { name + ABIType.tuple(inputs.map(\.type)).description }
        public var selector: [UInt8] { Array(Keccak256.hash(Array(signature.utf8)).prefix(4)) }
        public var payable: Bool { mutability == .payable }
        public var inputTypes: [ABIType] { inputs.map(\.type) }
        public var outputTypes: [ABIType] { outputs.map(\.type) }
    }

    public struct Event: Sendable {
        public var name: String
        public var parameters: [Parameter]

        public init(_ name: String, _ parameters: [Parameter]) { self.name = name; self.parameters = parameters }

        public var signature: String { name + ABIType.tuple(parameters.map(\.type)).description }
        public var topic: H256 { Keccak256.h256(Array(signature.utf8)) }
        /// Types of the non-indexed parameters, which go in the log's data.
        public var dataTypes: [ABIType] { parameters.filter { !$0.indexed }.map(\.type) }
    }

    public let functions: [Function]
    public let events: [Event]
    private let bySelector: [[UInt8]: Int]

    public init(functions: [Function], events: [Event]) {
        self.functions = functions
        self.events = events
        var map = [[UInt8]: Int]()
        for (i, f) in functions.enumerated() { map[f.selector] = i }
        bySelector = map
    }

    public func function(selector: [UInt8]) -> Function? { bySelector[selector].map { functions[$0] } }

    public func event(named name: String) -> Event? { events.first { $0.name == name } }
}

extension ContractInterface {
    /// A call's function and arguments, when `input` is a well-formed call of this interface.
    public func decodeCall(_ input: [UInt8]) -> (function: Function, arguments: [ABIValue])? {
        guard let f = function(selector: Array(input.prefix(4))), let args = try? ABI.decode(f.inputTypes, from: Array(input.dropFirst(4))) else {
            return nil
        }
        return (f, args)
    }

    /// A log's event and its arguments in declaration order (indexed ones read from the topics).
    public func decodeLog(topics: [H256], data: [UInt8]) -> (event: Event, arguments: [ABIValue])? {
        guard let topic = topics.first, let e = events.first(where: { $0.topic == topic }),
              topics.count == 1 + e.parameters.filter(\.indexed).count,
              let unindexed = try? ABI.decode(e.dataTypes, from: data) else { return nil }
        var fromTopics = topics.dropFirst().makeIterator(), fromData = unindexed.makeIterator()
        var values = [ABIValue]()
        for p in e.parameters {
            if p.indexed {
                // Indexed dynamic values are only their hash: shown as the 32 bytes.
                guard let t = fromTopics.next() else { return nil }
                if p.type.isDynamic { values.append(.fixedBytes(t.bytes)); continue }
                guard let v = try? ABI.decode([p.type], from: t.bytes).first else { return nil }
                values.append(v)
            } else {
                guard let v = fromData.next() else { return nil }
                values.append(v)
            }
        }
        return (e, values)
    }
}

extension ContractInterface {
    /// The log of event `name` emitted by `address`: topic0, the indexed values as 32-byte words, the
    /// rest ABI-encoded as data.
    public func log(_ name: String, address: Address, indexed: [UInt256], data: [ABIValue]) throws -> Log {
        guard let e = event(named: name) else { throw SystemCallError.badArguments("no event \(name)") }
        return Log(address: address, topics: [e.topic] + indexed.map { H256(word: $0) },
                   data: try ABI.encode(data, types: e.dataTypes))
    }
}

extension Address {
    /// The address as a 256-bit word (an indexed event argument, a storage value).
    public var word: UInt256 { UInt256(bigEndian: bytes) ?? .zero }
}

extension ContractInterface {
    /// The function a call names and its decoded arguments. Refuses an unknown selector, arguments
    /// that do not decode strictly, and value sent to a function that is not payable (a revert
    /// charging `gasUsed`, as Solidity's check does).
    public func decode(_ call: SystemCall, gasUsed: UInt64) throws -> (function: Function, arguments: [ABIValue]) {
        let selector = Array(call.input.prefix(4))
        guard let f = function(selector: selector) else { throw SystemCallError.unknownSelector(selector) }
        let args: [ABIValue]
        do { args = try ABI.decode(f.inputTypes, from: Array(call.input.dropFirst(4))) } catch { throw SystemCallError.badArguments("\(f.name): \(error)") }
        guard f.payable || call.value.isZero else { throw SystemCallError.reverted("\(f.name) is not payable", gasUsed: gasUsed) }
        return (f, args)
    }
}

extension ContractInterface {
    /// The frame of a system contract's `call`: charges `baseGas`, decodes the call (see
    /// ``decode(_:gasUsed:)``), runs `body` with the contract's metered storage and a log list, and
    /// encodes what it returns as the function's outputs.
    public func dispatch(_ call: SystemCall, storage: SystemStorage, baseGas: UInt64 = 5_000,
                         _ body: (Function, [ABIValue], inout SystemStorage, inout [Log]) throws -> [ABIValue]) throws -> SystemCallResult {
        var s = storage
        try s.charge(baseGas)
        let (f, arguments) = try decode(call, gasUsed: s.gasUsed)
        var logs = [Log]()
        let out = try body(f, arguments, &s, &logs)
        return SystemCallResult(output: try ABI.encode(out, types: f.outputTypes), gasUsed: s.gasUsed, logs: logs)
    }
}
