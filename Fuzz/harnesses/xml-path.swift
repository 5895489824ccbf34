// libFuzzer harness: XML documents and XML paths from a stranger's data source. Compiled into
// XMLPath.swift, OracleJSON.swift (size limit) and OracleError.swift, over Foundation's XMLParser.
// Input: the path text up to the first newline, then the document.
// Properties: parsing and resolution throw `OracleError` or succeed, never trap, in bounded time and
// memory (entity expansion included).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMLPath(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0x0a) ?? bytes.endIndex
    let pathText = String(decoding: bytes[..<split], as: UTF8.self)
    let document = split < bytes.endIndex ? Array(bytes[(split + 1)...]) : []
    do {
        let path = try XMLPath(pathText)
        let tree = try XMLDocumentTree(parsing: document)
        _ = try path.resolve(in: tree)
    } catch is OracleError {
        return 0
    } catch {
        fatalError("XML path threw an untyped error: \(error)")
    }
    return 0
}
