import AnkrPrimitives

extension Address {
    /// The low 20 bytes of a stack word.
    init(word: UInt256) {
        let bytes = [UInt8](unsafeUninitializedCapacity: 20) { out, count in
            // Byte 19 is the word's lowest byte; bytes 0…3 come from the low half of limb 2.
            for i in 0..<8 {
                out[19 - i] = UInt8(truncatingIfNeeded: word.w0 >> UInt64(8 * i))
                out[11 - i] = UInt8(truncatingIfNeeded: word.w1 >> UInt64(8 * i))
            }
            for i in 0..<4 { out[3 - i] = UInt8(truncatingIfNeeded: word.w2 >> UInt64(8 * i)) }
            count = 20
        }
        self = (try? Address(bytes)) ?? .zero
    }

    var word: UInt256 { UInt256(bigEndian: bytes) ?? .zero }
}
