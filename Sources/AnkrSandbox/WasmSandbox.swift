import AnkrPrimitives
import Foundation
@_spi(Fuzzing) import WasmKit

/// The result of one subtask.
public struct SubtaskResult: Hashable, Sendable {
    public var output: [UInt8]
    /// Fuel consumed by `alloc` and `run`.
    public var fuelUsed: UInt64

    public init(output: [UInt8], fuelUsed: UInt64) {
        self.output = output; self.fuelUsed = fuelUsed
    }

    public var outputHash: H256 { Keccak256.h256(output) }
}

/// A checked useful-work module: admitted by ``ModuleAdmission`` (no start function, bounded
/// instantiation), parsed, import-free, with the ABI's exports.
public struct WorkModule: Sendable {
    public let bytes: [UInt8]
    public let hash: H256
    let module: Module

    public init(bytes: [UInt8]) throws {
        try ModuleAdmission.check(bytes)
        let module: Module
        // The proposals are named rather than defaulted, so a WasmKit upgrade cannot widen what consensus
        // accepts (threads, for one, would bring `memory.atomic.wait`, which no fuel budget bounds; exception
        // handling is left out because entering a `try_table` does work per catch clause for one fuel unit).
        do { module = try parseWasm(bytes: bytes, features: [.referenceTypes]) } catch { throw WorkError.invalidModule("\(error)") }
        guard module.imports.isEmpty else { throw WorkError.hasImports(module.imports.map { "\($0.module).\($0.name)" }) }
        for name in ["memory", "alloc", "run"] where !module.exports.contains(where: { $0.name == name }) {
            throw WorkError.missingExport(name)
        }
        self.bytes = bytes
        self.hash = Keccak256.h256(bytes)
        self.module = module
    }
}

/// Runs subtasks deterministically with fuel metering. Each run gets a fresh store, so nothing
/// carries over between subtasks.
public final class WasmSandbox: @unchecked Sendable {
    public struct Limits: Sendable {
        public var maxMemoryBytes: Int
        public var maxInputBytes: Int
        public var maxOutputBytes: Int
        public init(maxMemoryBytes: Int = 64 << 20, maxInputBytes: Int = 16 << 20, maxOutputBytes: Int = 1 << 20) {
            self.maxMemoryBytes = maxMemoryBytes; self.maxInputBytes = maxInputBytes; self.maxOutputBytes = maxOutputBytes
        }
    }

    public let limits: Limits
    private let engine: Engine
    /// Runs abandoned at their deadline that are still burning their fuel (see ``run(_:input:fuel:deadline:)``).
    let abandonedLock = NSLock()
    var abandonedRunning = 0

    public init(limits: Limits = Limits(), metered: Bool = true) {
        self.limits = limits
        self.engine = Engine(configuration: EngineConfiguration(fuelMetering: metered))
    }

    /// Runs `run(input)` with at most `fuel` units; throws ``WorkError`` on any failure.
    public func run(_ work: WorkModule, input: [UInt8], fuel: UInt64) throws -> SubtaskResult {
        guard input.count <= limits.maxInputBytes else { throw WorkError.inputTooLarge(input.count, limit: limits.maxInputBytes) }
        guard let inputLength = UInt32(exactly: input.count) else { throw WorkError.inputTooLarge(input.count, limit: Int(UInt32.max)) }
        let store = Store(engine: engine)
        store.resourceLimiter = MemoryCap(maxBytes: limits.maxMemoryBytes)
        // Admission refuses start functions; a zero budget during instantiation makes sure no guest code
        // could run there on WasmKit's unlimited default even so.
        store.fuel = Fuel(remaining: 0)
        let instance: Instance
        do { instance = try work.module.instantiate(store: store) } catch { throw WorkError.trap("instantiation: \(error)") }
        guard let memory = instance.exports[memory: "memory"] else { throw WorkError.missingExport("memory") }
        guard let alloc = instance.exports[function: "alloc"], alloc.type.parameters == [.i32], alloc.type.results == [.i32] else {
            throw WorkError.missingExport("alloc(i32) -> i32")
        }
        guard let run = instance.exports[function: "run"], run.type.parameters == [.i32, .i32], run.type.results == [.i64] else {
            throw WorkError.missingExport("run(i32, i32) -> i64")
        }
        store.fuel = Fuel(remaining: fuel)
        func call(_ f: Function, _ args: [Value]) throws -> [Value] {
            do {
                return try f.invoke(args)
            } catch {
                if store.fuel?.remaining == 0 || "\(error)".contains("out of fuel") { throw WorkError.outOfFuel(limit: fuel) }
                throw WorkError.trap("\(error)")
            }
        }
        guard case .i32(let ptr) = try call(alloc, [.i32(inputLength)]).first else { throw WorkError.badResult("alloc result") }
        guard Int(ptr) + input.count <= memory.byteCount else { throw WorkError.badResult("alloc returned \(ptr), outside memory") }
        memory.withUnsafeMutableBufferPointer(offset: UInt(ptr), count: input.count) { buffer in
            for i in 0..<input.count { buffer[i] = input[i] }
        }
        guard case .i64(let packed) = try call(run, [.i32(ptr), .i32(inputLength)]).first else { throw WorkError.badResult("run result") }
        let outPtr = Int(packed >> 32), outLen = Int(packed & 0xffff_ffff)
        guard outLen <= limits.maxOutputBytes else { throw WorkError.outputTooLarge(outLen, limit: limits.maxOutputBytes) }
        guard outPtr + outLen <= memory.byteCount else { throw WorkError.badResult("output \(outPtr)+\(outLen) is outside memory") }
        let output = memory.withUnsafeBufferPointer(offset: UInt(outPtr), count: outLen) { Array($0) }
        return SubtaskResult(output: output, fuelUsed: fuel - min(fuel, store.fuel?.remaining ?? 0))
    }
}

/// Refuses memory growth past the sandbox's cap (memory.grow then returns −1 to the module).
final class MemoryCap: ResourceLimiter, @unchecked Sendable {
    let maxBytes: Int
    init(maxBytes: Int) { self.maxBytes = maxBytes }
    func limitMemoryGrowth(to desired: Int) throws -> Bool { desired <= maxBytes }
    func limitTableGrowth(to desired: Int) throws -> Bool { desired <= Int(ModuleAdmission.maxTableElements) }
}
