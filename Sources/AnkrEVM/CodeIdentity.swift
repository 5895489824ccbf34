/// Which buffer a code array lives in: its address and length. ``EVM/analysis(of:)`` keys its cache with it and keeps
/// the array alive beside the entry, which is what makes the key sound.
struct CodeIdentity: Hashable {
    let base: UInt
    let count: Int

    init(_ code: [UInt8]) {
        base = code.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        count = code.count
    }
}
