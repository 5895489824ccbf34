import AnkrCrypto
import AnkrPrimitives
import XCTest

final class ECIESTests: XCTestCase {
    func testRoundTripAndTamperDetection() throws {
        let recipient = PrivateKey.random()
        let message = Array("oracle params: https://127.0.0.1/price".utf8)
        let box = try ECIES.encrypt(message, to: recipient.publicKey, associatedData: [7])
        XCTAssertEqual(box.count, message.count + ECIES.overhead)
        XCTAssertEqual(try ECIES.decrypt(box, with: recipient, associatedData: [7]), message)

        XCTAssertThrowsError(try ECIES.decrypt(box, with: PrivateKey.random(), associatedData: [7])) {
            XCTAssertEqual($0 as? CryptoError, .decryptionFailed)
        }
        XCTAssertThrowsError(try ECIES.decrypt(box, with: recipient, associatedData: [8]))
        var tampered = box
        tampered[tampered.count - 20] ^= 1
        XCTAssertThrowsError(try ECIES.decrypt(tampered, with: recipient, associatedData: [7]))
        XCTAssertThrowsError(try ECIES.decrypt(Array(box.prefix(50)), with: recipient)) {
            XCTAssertEqual($0 as? CryptoError, .ciphertextTooShort(50))
        }
        var badPoint = box
        badPoint[1] ^= 0xff
        XCTAssertThrowsError(try ECIES.decrypt(badPoint, with: recipient, associatedData: [7]))
    }

    func testEncryptionIsRandomized() throws {
        let recipient = PrivateKey.random()
        XCTAssertNotEqual(try ECIES.encrypt([1], to: recipient.publicKey), try ECIES.encrypt([1], to: recipient.publicKey))
    }
}
