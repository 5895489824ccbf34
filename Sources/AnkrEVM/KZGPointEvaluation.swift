import AnkrPrimitives
import Crypto

/// The point evaluation precompile at 0x0a (EIP-4844): given a blob's versioned hash, a point z, a
/// claimed value y, the KZG commitment C and a proof π, checks that C matches the versioned hash and
/// that the committed polynomial p has p(z) = y: e(C − y·G1, G2) = e(π, [s]G2 − z·G2), with [s]G2
/// from the trusted setup. Costs 50,000 gas; any invalid input fails and consumes all gas.
enum KZGPointEvaluation {
    static let gasCost: UInt64 = 50_000
    static let fieldElementsPerBlob = UInt256(4096)
    /// The success output: FIELD_ELEMENTS_PER_BLOB ‖ BLS_MODULUS, 32 bytes each.
    static let output = fieldElementsPerBlob.bigEndianBytes + BLS12381.order.bigEndianBytes
    static let versionedHashVersion: UInt8 = 0x01

    static func run(_ input: [UInt8], _ gas: UInt64) -> FrameResult {
        guard gas >= gasCost else { return FrameResult(status: .failure("out of gas"), gasLeft: 0, output: []) }
        do {
            try verify(input)
            return FrameResult(status: .success, gasLeft: gas - gasCost, output: output)
        } catch {
            return FrameResult(status: .failure("point evaluation: \(error)"), gasLeft: 0, output: [])
        }
    }

    /// Throws unless the 192 bytes versioned hash ‖ z ‖ y ‖ commitment ‖ proof are a valid proof.
    static func verify(_ input: [UInt8]) throws(KZGPointEvaluationError) {
        guard input.count == 192 else { throw .wrongInputLength(input.count) }
        let commitmentBytes = input[96..<144]
        var expectedHash = Array(SHA256.hash(data: commitmentBytes))
        expectedHash[0] = versionedHashVersion
        guard input[0..<32].elementsEqual(expectedHash) else { throw .versionedHashMismatch }
        guard let z = UInt256(bigEndian: input[32..<64]), z < BLS12381.order else { throw .zNotBelowModulus }
        guard let y = UInt256(bigEndian: input[64..<96]), y < BLS12381.order else { throw .yNotBelowModulus }
        let commitment: BLS12381.Point<BLS12381.Fp>, proof: BLS12381.Point<BLS12381.Fp>
        do { commitment = try .init(compressed: commitmentBytes) } catch { throw .commitment(error) }
        do { proof = try .init(compressed: input[144..<192]) } catch { throw .proof(error) }
        let setup: KZGTrustedSetup
        switch KZGTrustedSetup.embedded {
        case .success(let s): setup = s
        case .failure(let error): throw .trustedSetup(error)
        }
        // e(C − y·G1, −G2) · e(π, [s]G2 − z·G2) = 1.
        let left = commitment + -setup.g1Multiples.multiplied(by: y)
        let right = setup.sG2 + -setup.g2Multiples.multiplied(by: z)
        let (leftAffine, rightAffine) = affine(left, right)
        let pairs = [(leftAffine, setup.minusG2Lines), (proof.affine, rightAffine.map(BLS12381.Pairing.Lines.init))]
        guard BLS12381.Pairing.productIsOne(prepared: pairs) else { throw .pairingCheckFailed }
    }

    /// The affine forms of a G1 and a G2 point with one inversion in Fp for both: a G2 point's Z = a + bi has
    /// 1/Z = (a − bi)/N with N = a² + b² in Fp (nonzero, as −1 is not a square mod p), and 1/(Z₁·N) gives
    /// 1/Z₁ and 1/N.
    static func affine(_ g1: BLS12381.Point<BLS12381.Fp>,
                       _ g2: BLS12381.Point<BLS12381.Fp2>) -> (BLS12381.Point<BLS12381.Fp>.Affine?, BLS12381.Point<BLS12381.Fp2>.Affine?) {
        if g1.isInfinity || g2.isInfinity { return (g1.affine, g2.affine) }
        let norm = g2.z.c0.squared + g2.z.c1.squared
        let t = (g1.z * norm).inverse
        let z1 = t * norm, normInverse = t * g1.z
        let z2 = BLS12381.Fp2(c0: g2.z.c0 * normInverse, c1: -(g2.z.c1 * normInverse))
        let z1Squared = z1.squared, z2Squared = z2.squared
        return (.init(x: g1.x * z1Squared, y: g1.y * z1Squared * z1), .init(x: g2.x * z2Squared, y: g2.y * z2Squared * z2))
    }
}
