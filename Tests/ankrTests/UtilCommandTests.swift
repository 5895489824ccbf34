import AnkrCrypto
import AnkrPrimitives
import Foundation
import XCTest

/// Runs the real `ankr` binary, as a user would, and checks stdout, stderr and the exit status.
final class UtilCommandTests: XCTestCase {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `ankr` executable SwiftPM built next to this test bundle.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        for candidate in [dir, Bundle.main.bundleURL.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("ankr")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return dir.appendingPathComponent("ankr")
    }

    func ankr(_ args: String...) throws -> Run { try Self.run(args) }

    /// Runs the binary with `args` (and extra environment), no stdin, capturing both outputs.
    static func run(_ args: [String], env: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment.merge(env) { $1 }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func assertFails(_ run: Run, mentioning text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.status, 1, file: file, line: line)
        XCTAssertEqual(run.stdout, "", file: file, line: line)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on stderr, got: \(run.stderr)", file: file, line: line)
        XCTAssertTrue(run.stderr.hasPrefix("ankr: error: "), run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains(text), "expected \"\(text)\" in \(run.stderr)", file: file, line: line)
    }

    func testKeccak() throws {
        XCTAssertEqual(try ankr("util", "keccak", "--text", "").stdout, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470\n")
        XCTAssertEqual(try ankr("util", "keccak", "0x616263").stdout, "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45\n")
        XCTAssertEqual(try ankr("util", "keccak", "0x616263", "--json").stdout,
                       "{\"hash\":\"0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45\"}\n")
        assertFails(try ankr("util", "keccak", "0x6"), mentioning: "odd number")
    }

    func testRLPRoundTrip() throws {
        let enc = try ankr("util", "rlp-encode", "[\"dog\",[\"0x01\",1024],\"\"]")
        XCTAssertEqual(enc.stdout, "0xca83646f67c40182040080\n")
        let dec = try ankr("util", "rlp-decode", "--json", enc.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(dec.stdout, "[\"0x646f67\",[\"0x01\",\"0x0400\"],\"0x\"]\n")
        assertFails(try ankr("util", "rlp-decode", "0x8100"), mentioning: "single byte")
        assertFails(try ankr("util", "rlp-decode", "0xc5010203"), mentioning: "needs 6 bytes")
        assertFails(try ankr("util", "rlp-encode", "[1.5]"), mentioning: "whole numbers")
        assertFails(try ankr("util", "rlp-encode", "[nope"), mentioning: "not valid JSON")
    }

    func testKeysSignAndRecover() throws {
        let key = "0x4646464646464646464646464646464646464646464646464646464646464646"
        XCTAssertEqual(try ankr("util", "address", key).stdout, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F\n")
        let hash = "0x" + String(repeating: "ab", count: 32)
        let sig = try ankr("util", "sign", key, hash).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(sig.count, 132)
        XCTAssertEqual(try ankr("util", "recover", hash, sig).stdout, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F\n")
        assertFails(try ankr("util", "address", "0x" + String(repeating: "00", count: 32)), mentioning: "private key")
        assertFails(try ankr("util", "sign", key, "0x1234"), mentioning: "32 bytes")
        assertFails(try ankr("util", "recover", hash, "0x1234"), mentioning: "65 bytes")
        // The high-s twin of a valid signature is refused.
        let bytes = try [UInt8](hex: sig)
        let highS = Signature.order &- (UInt256(bigEndian: bytes[32..<64]) ?? .zero)
        let twin = Array(bytes[0..<32]) + highS.bigEndianBytes + [bytes[64] == 27 ? 28 : 27]
        assertFails(try ankr("util", "recover", hash, twin.hexPrefixed), mentioning: "low-s")
    }

    func testTxDecode() throws {
        let raw = "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
        let run = try ankr("util", "tx-decode", "--json", raw)
        XCTAssertEqual(run.status, 0)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(obj["from"] as? String, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")
        XCTAssertEqual(obj["chainId"] as? String, "1")
        XCTAssertEqual(obj["hash"] as? String, "0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788")
        XCTAssertEqual(obj["value"] as? String, "1000000000000000000")
        XCTAssertTrue(try ankr("util", "tx-decode", raw).stdout.contains("from                  0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"))
        assertFails(try ankr("util", "tx-decode", "0x05c0"), mentioning: "type 0x5")
        assertFails(try ankr("util", "tx-decode", String(raw.dropLast(4))), mentioning: "needs")
    }

    func testABIEncodeDecode() throws {
        let data = try ankr("util", "abi-encode", "transfer(address,uint256)", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "1000", "--calldata").stdout
        XCTAssertEqual(data, "0xa9059cbb0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed00000000000000000000000000000000000000000000000000000000000003e8\n")
        let dec = try ankr("util", "abi-decode", "transfer(address,uint256)", data.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(dec.stdout, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n1000\n")
        let dyn = try ankr("util", "abi-encode", "(uint256[],string)", "[1,2,3]", "hello").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try ankr("util", "abi-decode", "--json", "(uint256[],string)", dyn).stdout, "[\"[1,2,3]\",\"hello\"]\n")
        assertFails(try ankr("util", "abi-encode", "f(uint8)", "256"), mentioning: "out of range")
        assertFails(try ankr("util", "abi-encode", "f(uint8,bool)", "1"), mentioning: "takes 2 arguments")
        assertFails(try ankr("util", "abi-decode", "(uint256)", "0x01"), mentioning: "too short")
        assertFails(try ankr("util", "abi-encode", "f(uint7)", "1"), mentioning: "invalid")
    }

    func testTrieRoot() throws {
        // trietest.json "insert-middle-leaf"-style check against the known single-entry root.
        XCTAssertEqual(try ankr("util", "trie-root", "{}").stdout, "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421\n")
        let plain = try ankr("util", "trie-root", "{\"0x646f\":\"0x76657262\",\"0x646f67\":\"0x7075707079\"}").stdout
        let secure = try ankr("util", "trie-root", "--secure", "{\"0x646f\":\"0x76657262\",\"0x646f67\":\"0x7075707079\"}").stdout
        XCTAssertNotEqual(plain, secure)
        assertFails(try ankr("util", "trie-root", "[1]"), mentioning: "JSON object")
        assertFails(try ankr("util", "trie-root", "{\"0x01\": 5}"), mentioning: "hex string")
    }
}
