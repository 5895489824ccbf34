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
        let pairs = [(left.affine, (-setup.g2).affine), (proof.affine, right.affine)]
        guard BLS12381.Pairing.productIsOne(pairs) else { throw .pairingCheckFailed }
    }
}
