// libFuzzer harness: P2P message decoding (the payload of every frame a peer sends). Compiled into
// the AnkrP2P sources, linked against the debug build of its dependencies.
// Properties: decoding throws or succeeds, never traps, in bounded time and memory (lists are
// bounded); an accepted message re-encodes to bytes that decode to the same message (but for a
// disconnect's free-text reason).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzP2PMessage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let message = try? Message(encoded: bytes) else { return 0 }
    let again: Message
    do {
        again = try Message(encoded: message.encoded)
    } catch {
        fatalError("a decoded P2P message does not decode after re-encoding: \(error)")
    }
    // A disconnect reason is log text, repaired and cut to 256 bytes on both sides, so it may change.
    if case .disconnect = message { return 0 }
    guard again == message else { fatalError("a P2P message changed through encode/decode") }
    return 0
}
