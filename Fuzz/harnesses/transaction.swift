// libFuzzer harness: raw transaction decoding as `eth_sendRawTransaction` and peers deliver it.
// Compiled into the AnkrChain sources, linked against the debug build of its dependencies.
// Properties: decoding throws `TransactionError` or succeeds; an accepted transaction re-encodes to
// exactly the input (the hash covers `encoded`, so two encodings of one transaction would give two
// hashes); sender recovery over hostile r, s, v throws or returns, never traps.

import AnkrPrimitives

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTransaction(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let tx: Transaction
    do {
        tx = try Transaction(raw: bytes)
    } catch is TransactionError {
        return 0
    } catch {
        fatalError("Transaction(raw:) threw an untyped error: \(error)")
    }
    guard tx.encoded == bytes else { fatalError("Transaction(raw:) accepted a non-canonical encoding") }
    _ = try? tx.recoverSender()
    return 0
}
