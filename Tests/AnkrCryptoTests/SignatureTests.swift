import AnkrCrypto
import AnkrPrimitives
import XCTest

final class SignatureTests: XCTestCase {
    let key = try! PrivateKey(hex: "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")

    func testSigningIsDeterministicLowSAndRecoverable() throws {
        let hash = Keccak256.hash(Array("ankr".utf8))
        let a = try key.sign(hash: hash), b = try key.sign(hash: hash)
        XCTAssertEqual(a, b)
        XCTAssertLessThanOrEqual(a.sValue, Signature.halfOrder)
        XCTAssertEqual(try a.recoverAddress(hash: hash), key.address)
        XCTAssertEqual(try Signature(rsv: a.rsv27), a)
        XCTAssertEqual(try Signature(rsv: a.rsv), a)
        XCTAssertEqual(key.address.checksummed, "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23")
    }

    func testHighSIsRejected() throws {
        let hash = Keccak256.hash(Array("ankr".utf8))
        let sig = try key.sign(hash: hash)
        // (r, n − s) with the other recovery id is the same signature in its high-s form.
        let highS = Signature.order &- sig.sValue
        XCTAssertThrowsError(try Signature(r: sig.rValue, s: highS, recoveryID: sig.recoveryID ^ 1)) {
            XCTAssertEqual($0 as? CryptoError, .highS)
        }
        let malleable = try Signature(r: sig.rValue, s: highS, recoveryID: sig.recoveryID ^ 1, allowHighS: true)
        XCTAssertEqual(try malleable.recoverAddress(hash: hash), key.address)
    }

    func testOutOfRangeAndMalformedSignaturesAreRejected() {
        XCTAssertThrowsError(try Signature(r: .zero, s: .one, recoveryID: 0)) { XCTAssertEqual($0 as? CryptoError, .signatureOutOfRange) }
        XCTAssertThrowsError(try Signature(r: Signature.order, s: .one, recoveryID: 0)) { XCTAssertEqual($0 as? CryptoError, .signatureOutOfRange) }
        XCTAssertThrowsError(try Signature(rsv: [UInt8](repeating: 1, count: 64))) { XCTAssertEqual($0 as? CryptoError, .invalidSignatureLength(64)) }
        XCTAssertThrowsError(try Signature(rsv: [UInt8](repeating: 1, count: 64) + [29])) { XCTAssertEqual($0 as? CryptoError, .invalidRecoveryID(29)) }
        XCTAssertThrowsError(try key.sign(hash: [1, 2, 3])) { XCTAssertEqual($0 as? CryptoError, .invalidHashLength(3)) }
        XCTAssertThrowsError(try PrivateKey([UInt8](repeating: 0, count: 32)))
        XCTAssertThrowsError(try PrivateKey(Signature.order.bigEndianBytes))
        XCTAssertThrowsError(try PublicKey([0x04] + [UInt8](repeating: 1, count: 64)))
    }

    func testPublicKeyEncodingsAgree() throws {
        let pub = key.publicKey
        XCTAssertEqual(try PublicKey(pub.compressed), pub)
        XCTAssertEqual(try PublicKey(pub.uncompressed), pub)
        XCTAssertEqual(try PublicKey(pub.raw64), pub)
    }

    func testECDHAgreesOnBothSides() throws {
        let other = PrivateKey.random()
        XCTAssertEqual(try key.sharedSecret(with: other.publicKey), try other.sharedSecret(with: key.publicKey))
    }
}
