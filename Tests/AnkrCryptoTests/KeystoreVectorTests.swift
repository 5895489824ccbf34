@testable import AnkrCrypto
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// ethereum/tests KeyStoreTests plus export → import round trips and hostile files.
final class KeystoreVectorTests: XCTestCase {
    func testEveryOfficialKeystoreDecrypts() throws {
        let cases = try XCTUnwrap(Vectors.load(Vectors.ethereum().appendingPathComponent("KeyStoreTests/basic_tests.json")) as? [String: [String: Any]])
        XCTAssertEqual(cases.count, 5)
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: try XCTUnwrap(c["json"])), as: UTF8.self)
            let key = try Keystore.decrypt(json: json, password: try XCTUnwrap(c["password"] as? String))
            XCTAssertEqual(key.bytes.hex, c["priv"] as? String, name)
            XCTAssertThrowsError(try Keystore.decrypt(json: json, password: "wrong"), name) {
                XCTAssertEqual($0 as? Keystore.Error, .wrongPassword)
            }
        }
    }

    func testExportThenImportWithBothKDFs() throws {
        let key = PrivateKey.random()
        for kdf in [Keystore.KeyDerivation.scrypt(n: 1 << 10, r: 8, p: 1), .pbkdf2(c: 1_000)] {
            let json = try Keystore.export(key, password: "pässword", kdf: kdf)
            XCTAssertTrue(json.contains("\"version\":3"))
            XCTAssertTrue(json.contains(key.address.bytes.hex))
            XCTAssertEqual(try Keystore.decrypt(json: json, password: "pässword"), key)
        }
    }

    func testHostileFilesAreRejectedQuickly() throws {
        let key = PrivateKey.random()
        let good = try Keystore.export(key, password: "x", kdf: .scrypt(n: 1 << 10, r: 8, p: 1))
        XCTAssertThrowsError(try Keystore.decrypt(json: "{", password: "x")) {
            guard case .malformedJSON = $0 as? Keystore.Error else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try Keystore.decrypt(json: "{\"version\":3}", password: "x"))
        let huge = good.replacingOccurrences(of: "\"n\":1024", with: "\"n\":4294967296")
        XCTAssertThrowsError(try Keystore.decrypt(json: huge, password: "x")) {
            guard case .unsafeKDFParameters = $0 as? Keystore.Error else { return XCTFail("\($0)") }
        }
        let notPowerOfTwo = good.replacingOccurrences(of: "\"n\":1024", with: "\"n\":1000")
        XCTAssertThrowsError(try Keystore.decrypt(json: notPowerOfTwo, password: "x"))
        let v2 = good.replacingOccurrences(of: "\"version\":3", with: "\"version\":2")
        XCTAssertThrowsError(try Keystore.decrypt(json: v2, password: "x")) { XCTAssertEqual($0 as? Keystore.Error, .unsupportedVersion(2)) }
        let cbc = good.replacingOccurrences(of: "aes-128-ctr", with: "aes-128-cbc")
        XCTAssertThrowsError(try Keystore.decrypt(json: cbc, password: "x")) { XCTAssertEqual($0 as? Keystore.Error, .unsupportedCipher("aes-128-cbc")) }
    }
}

/// RFC 7914 §12 vectors for the scrypt fallback, including parameters BoringSSL refuses.
final class ScryptTests: XCTestCase {
    func testRFC7914Vectors() throws {
        for derive in [Scrypt.derive, Scrypt.portableDerive] {
        let v1 = try derive([], [], 16, 1, 1, 64)
        XCTAssertEqual(v1.hex, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
        let v2 = try derive(Array("password".utf8), Array("NaCl".utf8), 1024, 8, 16, 64)
        XCTAssertEqual(v2.hex, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
        }
    }
}
