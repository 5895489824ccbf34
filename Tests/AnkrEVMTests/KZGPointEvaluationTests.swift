import AnkrPrimitives
@testable import AnkrEVM
import Crypto
import XCTest

/// The KZG point evaluation precompile (0x0a) against c-kzg-4844's `verify_kzg_proof` vectors
/// (tests/verify_kzg_proof/kzg-mainnet), and every way its input can be malformed.
final class KZGPointEvaluationTests: XCTestCase {
    struct Vector {
        let name: String, commitment: String, z: String, y: String, proof: String
        /// nil: the input is invalid (c-kzg reports an error rather than false).
        let valid: Bool?
    }

    static let vectors: [Vector] = [
        Vector(name: "correct_proof_1_0", commitment: "a572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e",
               z: "0000000000000000000000000000000000000000000000000000000000000000",
               y: "0000000000000000000000000000000000000000000000000000000000000002",
               proof: "c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", valid: true),
        Vector(name: "correct_proof_2_3", commitment: "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
               z: "5eb7004fe57383e6c88b99d839937fddf3f99279353aaf8d5c9a75f91ce33c62",
               y: "5ee1e9a4a06a02ca6ea14b0ca73415a8ba0fba888f18dde56df499b480d4b9e0",
               proof: "a1fcd37a924af9ec04143b44853c26f6b0738f6e15a3e0755057e7d5460406c7e148adb0e2d608982140d0ae42fe0b3b", valid: true),
        Vector(name: "correct_proof_4_5", commitment: "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7",
               z: "564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306",
               y: "24d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a1",
               proof: "873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a", valid: true),
        Vector(name: "correct_proof_point_at_infinity_for_twos_poly_1", commitment: "a572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "0000000000000000000000000000000000000000000000000000000000000002",
               proof: "c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", valid: true),
        Vector(name: "incorrect_proof_1_0", commitment: "a572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e",
               z: "0000000000000000000000000000000000000000000000000000000000000000",
               y: "0000000000000000000000000000000000000000000000000000000000000002",
               proof: "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb", valid: false),
        Vector(name: "incorrect_proof_3_2", commitment: "b49d88afcd7f6c61a8ea69eff5f609d2432b47e7e4cd50b02cdddb4e0c1460517e8df02e4e64dc55e3d8ca192d57193a",
               z: "0000000000000000000000000000000000000000000000000000000000000002",
               y: "6a75e4fe63e5e148c853462a680c3e3ccedea34719d28f19bf1b35ae4eea37d6",
               proof: "861a2aef7aa82db033bfa125b9f756afecaf1db28384925d5007bcf7dff1a53b72bdf522610303075aeecab41685d720", valid: false),
        Vector(name: "incorrect_proof_point_at_infinity_0", commitment: "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
               z: "0000000000000000000000000000000000000000000000000000000000000000",
               y: "50625ad853cc21ba40594f79591e5d35c445ecf9453014da6524c0cf6367c359",
               proof: "c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", valid: false),
        Vector(name: "invalid_commitment_0", commitment: "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
               proof: "b0c829a8d2d3405304fecbea193e6c67f7c3912a6adc7c3737ad3f8a3b750425c1531a7426f03033a3994bc82a10609f", valid: nil),
        Vector(name: "invalid_commitment_1", commitment: "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb00",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
               proof: "b0c829a8d2d3405304fecbea193e6c67f7c3912a6adc7c3737ad3f8a3b750425c1531a7426f03033a3994bc82a10609f", valid: nil),
        Vector(name: "invalid_commitment_2", commitment: "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
               proof: "b0c829a8d2d3405304fecbea193e6c67f7c3912a6adc7c3737ad3f8a3b750425c1531a7426f03033a3994bc82a10609f", valid: nil),
        Vector(name: "invalid_commitment_3", commitment: "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde0",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
               proof: "b0c829a8d2d3405304fecbea193e6c67f7c3912a6adc7c3737ad3f8a3b750425c1531a7426f03033a3994bc82a10609f", valid: nil),
        Vector(name: "invalid_proof_0", commitment: "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
               proof: "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6", valid: nil),
        Vector(name: "invalid_proof_1", commitment: "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
               proof: "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb00", valid: nil),
        Vector(name: "invalid_proof_2", commitment: "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
               proof: "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", valid: nil),
        Vector(name: "invalid_proof_3", commitment: "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
               proof: "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde0", valid: nil),
        Vector(name: "invalid_y_0", commitment: "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001",
               proof: "b30b3d1e4faccc380557792c9a0374d58fa286f5f75fea48870585393f890909cd3c53cfe4897e799fb211b4be531e43", valid: nil),
        Vector(name: "invalid_y_3", commitment: "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7",
               z: "0000000000000000000000000000000000000000000000000000000000000001",
               y: "ffffffffffffffffffffffffffffffff00000000000000000000000000000000",
               proof: "b30b3d1e4faccc380557792c9a0374d58fa286f5f75fea48870585393f890909cd3c53cfe4897e799fb211b4be531e43", valid: nil),
        Vector(name: "invalid_z_0", commitment: "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7",
               z: "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001",
               y: "60f840641ec0d0c0d2b77b2d5a393b329442721fad05ab78c7b98f2aa3c20ec9",
               proof: "b30b3d1e4faccc380557792c9a0374d58fa286f5f75fea48870585393f890909cd3c53cfe4897e799fb211b4be531e43", valid: nil),
        Vector(name: "invalid_z_3", commitment: "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7",
               z: "ffffffffffffffffffffffffffffffff00000000000000000000000000000000",
               y: "60f840641ec0d0c0d2b77b2d5a393b329442721fad05ab78c7b98f2aa3c20ec9",
               proof: "b30b3d1e4faccc380557792c9a0374d58fa286f5f75fea48870585393f890909cd3c53cfe4897e799fb211b4be531e43", valid: nil),
    ]

    /// versioned hash ‖ z ‖ y ‖ commitment ‖ proof, with the hash computed from the commitment.
    static func input(commitment: String, z: String, y: String, proof: String) throws -> [UInt8] {
        let c = try Hex.decode(commitment)
        var hash = Array(SHA256.hash(data: c))
        hash[0] = 1
        return try hash + Hex.decode(z) + Hex.decode(y) + c + Hex.decode(proof)
    }

    static func input(_ v: Vector) throws -> [UInt8] { try input(commitment: v.commitment, z: v.z, y: v.y, proof: v.proof) }

    func testCKZGVectorsGiveTheirResults() throws {
        for v in Self.vectors {
            let result = KZGPointEvaluation.run(try Self.input(v), 60_000)
            if v.valid == true {
                XCTAssertEqual(result.status, .success, v.name)
                XCTAssertEqual(result.gasLeft, 10_000, v.name)
                XCTAssertEqual(result.output, KZGPointEvaluation.output, v.name)
            } else {
                XCTAssertNotEqual(result.status, .success, v.name)
                XCTAssertEqual(result.gasLeft, 0, v.name)
                XCTAssertEqual(result.output, [], v.name)
            }
        }
    }

    func testInvalidVectorsFailForTheRightReason() throws {
        let byName = Dictionary(uniqueKeysWithValues: Self.vectors.map { ($0.name, $0) })
        func error(_ name: String) throws -> KZGPointEvaluationError? {
            let v = try XCTUnwrap(byName[name])
            let input = try Self.input(v)
            do { try KZGPointEvaluation.verify(input); return nil } catch { return error }
        }
        XCTAssertEqual(try error("incorrect_proof_1_0"), .pairingCheckFailed)
        XCTAssertEqual(try error("invalid_z_0"), .zNotBelowModulus)
        XCTAssertEqual(try error("invalid_y_0"), .yNotBelowModulus)
        // Cases 0 and 1 are a point one byte short and one byte long.
        for (n, length) in [(0, 191), (1, 193)] {
            XCTAssertEqual(try error("invalid_commitment_\(n)"), .wrongInputLength(length))
            XCTAssertEqual(try error("invalid_proof_\(n)"), .wrongInputLength(length))
        }
        for n in 2..<4 {
            guard case .commitment = try error("invalid_commitment_\(n)") else { return XCTFail("invalid_commitment_\(n)") }
            guard case .proof = try error("invalid_proof_\(n)") else { return XCTFail("invalid_proof_\(n)") }
        }
    }

    func testOutputIsBlobSizeAndModulus() {
        XCTAssertEqual(Hex.encode(KZGPointEvaluation.output),
                       "0000000000000000000000000000000000000000000000000000000000001000"
                       + "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001")
    }

    func testPrecompileAtTenChargesFiftyThousandGas() throws {
        let run = try XCTUnwrap(Precompiles.contract(at: Precompiles.addresses[9]))
        let valid = try Self.input(Self.vectors[1])
        let ok = run(valid, 50_000)
        XCTAssertEqual(ok.status, .success)
        XCTAssertEqual(ok.gasLeft, 0)
        let short = run(valid, 49_999)
        XCTAssertEqual(short.status, .failure("out of gas"))
        XCTAssertEqual(short.gasLeft, 0)
    }

    func testWrongInputLengthsFail() throws {
        let valid = try Self.input(Self.vectors[1])
        for input in [[], Array(valid.dropLast()), valid + [0], [UInt8](repeating: 0, count: 1 << 20)] {
            XCTAssertThrowsError(try KZGPointEvaluation.verify(input)) {
                XCTAssertEqual($0 as? KZGPointEvaluationError, .wrongInputLength(input.count))
            }
            XCTAssertEqual(KZGPointEvaluation.run(input, 1_000_000).gasLeft, 0)
        }
    }

    /// Flipping any single byte of a valid input (one bit each, a few positions per field) makes it fail.
    func testEveryFlippedByteFails() throws {
        let valid = try Self.input(Self.vectors[1])
        for i in [0, 1, 31, 32, 50, 63, 64, 80, 95, 96, 100, 143, 144, 170, 191] {
            var input = valid
            input[i] ^= 0x04
            XCTAssertNotEqual(KZGPointEvaluation.run(input, 60_000).status, .success, "byte \(i)")
        }
    }

    func testVersionedHashMustHaveVersionOne() throws {
        var input = try Self.input(Self.vectors[1])
        input[0] = 0x02
        XCTAssertThrowsError(try KZGPointEvaluation.verify(input)) { XCTAssertEqual($0 as? KZGPointEvaluationError, .versionedHashMismatch) }
    }

    func testWrongYFailsThePairing() throws {
        let v = Self.vectors[1]
        var y = try Hex.decode(v.y)
        y[31] ^= 1
        let input = try Self.input(commitment: v.commitment, z: v.z, y: Hex.encode(y), proof: v.proof)
        XCTAssertThrowsError(try KZGPointEvaluation.verify(input)) { XCTAssertEqual($0 as? KZGPointEvaluationError, .pairingCheckFailed) }
    }

    /// A commitment with a point that is malformed in each way: the error names the way.
    func testHostileCommitmentsAreNamed() throws {
        let v = Self.vectors[1]
        func x(_ value: UInt8) -> String { String(repeating: "00", count: 47) + Hex.encode([value]) }
        let modulus = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"
        let cases: [(String, BLS12381PointError)] = [
            ("00" + String(x(4).dropFirst(2)), .notCompressed),
            ("e0" + String(repeating: "00", count: 47), .infinityWithNonZeroBits),
            ("c0" + String(repeating: "00", count: 46) + "01", .infinityWithNonZeroBits),
            ("9a" + String(modulus.dropFirst(2)), .coordinateNotBelowModulus),
            ("80" + String(x(1).dropFirst(2)), .notOnCurve),
            ("80" + String(x(4).dropFirst(2)), .notInSubgroup),
        ]
        for (commitment, expected) in cases {
            let input = try Self.input(commitment: commitment, z: v.z, y: v.y, proof: v.proof)
            XCTAssertThrowsError(try KZGPointEvaluation.verify(input), commitment) {
                XCTAssertEqual($0 as? KZGPointEvaluationError, .commitment(expected), commitment)
            }
            let asProof = try Self.input(commitment: v.commitment, z: v.z, y: v.y, proof: commitment)
            XCTAssertThrowsError(try KZGPointEvaluation.verify(asProof), commitment) {
                XCTAssertEqual($0 as? KZGPointEvaluationError, .proof(expected), commitment)
            }
        }
    }

    func testZAtTheModulusIsRefused() throws {
        let v = Self.vectors[1]
        let r = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"
        let input = try Self.input(commitment: v.commitment, z: r, y: v.y, proof: v.proof)
        XCTAssertThrowsError(try KZGPointEvaluation.verify(input)) { XCTAssertEqual($0 as? KZGPointEvaluationError, .zNotBelowModulus) }
        let input2 = try Self.input(commitment: v.commitment, z: v.z, y: r, proof: v.proof)
        XCTAssertThrowsError(try KZGPointEvaluation.verify(input2)) { XCTAssertEqual($0 as? KZGPointEvaluationError, .yNotBelowModulus) }
    }
}
