// libFuzzer harness: the JSON parser every RPC request, reply, genesis and test file goes through.
// Compiled into the AnkrPrimitives sources (scripts/fuzz-build).
// Contract (JSONParser.swift): any bytes either parse or throw a `JSONError`, never trap, with nesting
// bounded (512) so deep input cannot exhaust the stack; what the writer prints parses back to a value
// that prints the same.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let value: JSON
    do {
        value = try JSON(parsing: bytes)
    } catch is JSONError {
        return 0
    } catch {
        fatalError("JSON parsing threw an untyped error: \(error)")
    }
    let text = value.serialized()
    guard let again = try? JSON(parsing: text) else { fatalError("the writer printed text the parser refuses") }
    guard again.serialized() == text else { fatalError("JSON text changed through parse and print") }
    return 0
}
