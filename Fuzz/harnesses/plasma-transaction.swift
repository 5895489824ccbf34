// libFuzzer harness: Plasma child-chain transaction decoding (operator submissions, block bodies,
// fraud proofs). Compiled into the AnkrPlasma sources, linked against the debug build of its
// dependencies.
// Properties: the strict decoder throws or accepts exactly the canonical encoding; whatever it
// accepts has a raw leaf equal to its Merkle leaf (so a decodable transaction can never be proven
// malformed); the raw leaf and signer recovery never trap on any input.

import AnkrPrimitives

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlasmaTransaction(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let leaf = PlasmaTransaction.rawLeaf(bytes)
    guard let tx = try? PlasmaTransaction(encoded: bytes) else { return 0 }
    guard tx.encoded == bytes else { fatalError("PlasmaTransaction accepted a non-canonical encoding") }
    guard leaf == tx.merkleLeaf else { fatalError("a decodable Plasma transaction has a raw leaf other than its Merkle leaf") }
    _ = try? tx.signers()
    _ = try? tx.outputTotal()
    return 0
}
