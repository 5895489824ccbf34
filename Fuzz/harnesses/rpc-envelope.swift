import AnkrPrimitives
import Foundation

// libFuzzer harness: the JSON-RPC 2.0 envelope (RPCMethodTable.handle), i.e. any HTTP body a stranger
// POSTs to a node. Compiled into the AnkrRPC sources, linked against the debug build of its dependencies.
// Contract: every body gets either no answer (notifications only) or a JSON answer, never a trap;
// parameters reach handlers only through RPCParams' typed readers, whose failures are RPC errors.

func echo(_ params: RPCParams) throws -> JSON {
    var out: [JSON] = []
    for i in 0..<params.count { out.append(params.value(i) ?? .null) }
    return .array(out)
}

func quantity(_ params: RPCParams) throws -> JSON { .string(String(try params.quantity64(0, "n"))) }

func address(_ params: RPCParams) throws -> JSON { .string(try params.address(0).checksummed) }

func byteCount(_ params: RPCParams) throws -> JSON { .int(Int64(try params.bytes(0, "data").count)) }

func fail(_ params: RPCParams) throws -> JSON { throw RPCError.invalidParams("always") }

let table: RPCMethodTable = {
    let t = RPCMethodTable(maxBatch: 8)
    t.register("test_echo", echo)
    t.register("test_quantity", quantity)
    t.register("test_address", address)
    t.register("test_bytes", byteCount)
    t.register("test_fail", fail)
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRPCEnvelope(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(UnsafeBufferPointer(start: data, count: size))
    guard let answer = table.handle(body: body) else { return 0 }
    guard (try? JSON(parsing: answer)) != nil else { fatalError("the envelope answered with text that is not JSON") }
    return 0
}
