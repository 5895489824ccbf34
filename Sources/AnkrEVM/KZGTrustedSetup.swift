import AnkrPrimitives

/// The points of the EIP-4844 trusted setup that verifying one KZG proof needs: [1]G1, [1]G2 and
/// [s]G2. They are data, read from `Resources/kzg-trusted-setup.txt` (lines of the official ceremony's
/// `trusted_setup.txt` as c-kzg-4844 ships it), which the build embeds as bytes.
struct KZGTrustedSetup: Sendable {
    let g1: BLS12381.Point<BLS12381.Fp>
    let g2: BLS12381.Point<BLS12381.Fp2>
    let sG2: BLS12381.Point<BLS12381.Fp2>
    /// Multiples of g1 and g2, built once: the check multiplies them by y and z on every call.
    let g1Multiples: BLS12381.FixedBaseTable<BLS12381.Fp>
    let g2Multiples: BLS12381.FixedBaseTable<BLS12381.Fp2>
    /// The Miller loop's lines for −g2, the check's fixed G2 point (nil if g2 were the point at infinity).
    let minusG2Lines: BLS12381.Pairing.Lines?

    /// The setup compiled into this binary (read once).
    static let embedded = Result { () throws(KZGTrustedSetupError) in try KZGTrustedSetup(text: PackageResources.kzg_trusted_setup_txt) }

    /// Reads `label hex` lines (`g1`, `g2`, `s_g2`); lines starting with `#` are comments.
    init(text: [UInt8]) throws(KZGTrustedSetupError) {
        var hex: [String: String] = [:]
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { throw .malformedLine(String(line.prefix(80))) }
            hex[String(fields[0])] = String(fields[1])
        }
        func bytes(_ label: String, _ count: Int) throws(KZGTrustedSetupError) -> ArraySlice<UInt8> {
            guard let h = hex[label] else { throw .missingPoint(label) }
            guard let b = try? Hex.decode(h, count: count) else { throw .notHex(label) }
            return b[...]
        }
        func point<F>(_ label: String, _ count: Int,
                      _ read: (ArraySlice<UInt8>) throws(BLS12381PointError) -> BLS12381.Point<F>) throws(KZGTrustedSetupError) -> BLS12381.Point<F> {
            let b = try bytes(label, count)
            do { return try read(b) } catch { throw .badPoint(label, error) }
        }
        g1 = try point("g1", 48) { b throws(BLS12381PointError) in try BLS12381.Point<BLS12381.Fp>(compressed: b) }
        g2 = try point("g2", 96) { b throws(BLS12381PointError) in try BLS12381.Point<BLS12381.Fp2>(compressed: b) }
        sG2 = try point("s_g2", 96) { b throws(BLS12381PointError) in try BLS12381.Point<BLS12381.Fp2>(compressed: b) }
        g1Multiples = BLS12381.FixedBaseTable(g1)
        g2Multiples = BLS12381.FixedBaseTable(g2)
        minusG2Lines = (-g2).affine.map(BLS12381.Pairing.Lines.init)
    }
}
