// libFuzzer harness: RLP decoding. Compiled into the AnkrPrimitives sources (scripts/fuzz-build).
// Contract (RLP.swift): the decoder accepts only the canonical encoding of a value, so every accepted
// input re-encodes to itself; everything else is an `RLPError`, never a trap.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRLP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let item = try RLP.decode(bytes)
        guard RLP.encode(item) == bytes else { fatalError("RLP accepted a non-canonical encoding") }
    } catch is RLPError {
        return 0
    } catch {
        fatalError("RLP.decode threw an untyped error: \(error)")
    }
    return 0
}
