extension UInt256 {
    /// Reads `count` (at most 32) bytes starting at `offset` as a big-endian number; bytes past the
    /// buffer's end read as zero. This is what the EVM's PUSHn (count n, code), CALLDATALOAD (count 32,
    /// input) and MLOAD (count 32, memory) do, without a temporary array.
    @inlinable
    public init(bigEndian buffer: UnsafeRawBufferPointer, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0 && count <= 32, "UInt256 read of \(count) bytes at \(offset)")
        if count == 32, offset <= buffer.count &- 32 {
            // The four loads cover offset ..< offset + 32, inside the buffer by the check above.
            self.init(w0: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)),
                      w1: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)),
                      w2: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)),
                      w3: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            return
        }
        var r = UInt256(w0: 0, w1: 0, w2: 0, w3: 0)
        // Only the bytes below the buffer's end are read; `offset` may lie anywhere at or past it.
        let available = offset < buffer.count ? Swift.min(count, buffer.count - offset) : 0
        for i in 0..<available {
            let bit = (count - 1 - i) * 8
            r[limb: bit >> 6] |= UInt64(buffer[offset + i]) << UInt64(bit & 63)
        }
        self = r
    }

    /// Writes the 32 big-endian bytes at `offset` (the EVM's MSTORE); the caller has made room.
    @inlinable
    public func storeBigEndian(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        precondition(offset >= 0 && offset <= buffer.count &- 32, "UInt256 store at \(offset) past \(buffer.count) bytes")
        buffer.storeBytes(of: w3.bigEndian, toByteOffset: offset, as: UInt64.self)
        buffer.storeBytes(of: w2.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
        buffer.storeBytes(of: w1.bigEndian, toByteOffset: offset + 16, as: UInt64.self)
        buffer.storeBytes(of: w0.bigEndian, toByteOffset: offset + 24, as: UInt64.self)
    }
}
