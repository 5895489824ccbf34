// libFuzzer harness: ABI type parsing and decoding. Compiled into the AnkrPrimitives sources.
// Input: one length byte n, n bytes of type-list text (`uint256,bytes`), then the data to decode.
// Properties: both steps throw `ABIError` or succeed; decoded values re-encode, and the re-encoding
// (canonical, no gaps) decodes to the same values.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzABI(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let n = bytes.first.map(Int.init), bytes.count > n else { return 0 }
    let text = String(decoding: bytes[1..<(1 + n)], as: UTF8.self)
    let payload = Array(bytes[(1 + n)...])
    let types: [ABIType], values: [ABIValue]
    do {
        types = try ABIType.parseList(text)
        values = try ABI.decode(types, from: payload)
    } catch is ABIError {
        return 0
    } catch {
        fatalError("ABI threw an untyped error: \(error)")
    }
    // What decodes must encode, and the canonical encoding must decode to the same values.
    do {
        let again = try ABI.encode(values, types: types)
        guard try ABI.decode(types, from: again) == values else { fatalError("ABI values changed through encode/decode") }
    } catch {
        fatalError("decoded ABI values failed to round-trip: \(error)")
    }
    return 0
}
