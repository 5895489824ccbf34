// libFuzzer harness: JSON documents and RFC 6901 pointers from a stranger's data source. Compiled into
// OracleJSON.swift, JSONPointer.swift and OracleError.swift.
// Input: the pointer text up to the first newline, then the document.
// Properties: parsing and resolution throw `OracleError` or succeed; a resolved value is part of
// the document, so resolving the same pointer again gives the same value.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONPointer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0x0a) ?? bytes.endIndex
    let pointerText = String(decoding: bytes[..<split], as: UTF8.self)
    let document = split < bytes.endIndex ? Array(bytes[(split + 1)...]) : []
    do {
        let pointer = try JSONPointer(pointerText)
        let json = try OracleJSON(parsing: document)
        let value = try pointer.resolve(in: json)
        guard try pointer.resolve(in: json) == value else { fatalError("JSON pointer resolution is not deterministic") }
    } catch is OracleError {
        return 0
    } catch {
        fatalError("JSON pointer threw an untyped error: \(error)")
    }
    return 0
}
