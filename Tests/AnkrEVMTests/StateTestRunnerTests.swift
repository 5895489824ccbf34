import AnkrEVM
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// `StateTest.run`, the runner behind `ankr evm statetest`, on official fixtures read through `JSON`:
/// a passing case and its printed line, a tampered copy that fails with the reason, and files that
/// are not fixtures refused with a ``StateTestError``.
extension EVMTests {
    private func fixture(_ path: String) -> URL { Vectors.ethereum().appendingPathComponent(path) }

    /// `text` written to a temporary `.json` file.
    private func temporaryFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("statetest-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testAStateTestVectorPassesAndPrintsItsLine() throws {
        let results = try StateTest.run(file: fixture("GeneralStateTests/stExample/add11.json"))
        XCTAssertEqual(results.count, 1)
        let r = try XCTUnwrap(results.first)
        XCTAssertTrue(r.pass, r.error ?? "")
        XCTAssertEqual(r.stateRoot.description, "0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530")
        XCTAssertEqual(r.json.text, #"{"error":null,"fork":"Cancun","index":0,"name":"add11","pass":true,"#
                                    + #""stateRoot":"0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530"}"#)
        XCTAssertTrue(try StateTest.run(file: fixture("GeneralStateTests/stExample/add11.json"), fork: "Prague").isEmpty, "no post state for that fork")
        let legacy = try StateTest.run(file: fixture("LegacyVMTests/vmArithmeticTest/add0.json"))
        XCTAssertEqual(legacy.map(\.fork), [LegacyVMTest.fork])
        XCTAssertEqual(legacy.map(\.pass), [true], legacy.first?.error ?? "")
    }

    func testATamperedVectorFailsWithTheReason() throws {
        let original = try String(contentsOf: fixture("GeneralStateTests/stExample/add11.json"), encoding: .utf8)
        let wrongRoot = original.replacingOccurrences(of: "0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530",
                                                      with: "0x" + String(repeating: "00", count: 32))
        let r = try XCTUnwrap(StateTest.run(file: temporaryFile(wrongRoot)).first)
        XCTAssertFalse(r.pass)
        XCTAssertEqual(r.error, "state root 0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530 ≠ 0x" + String(repeating: "00", count: 32))
        // A value index past the list (or below it) builds no transaction: the case fails with the reason, no trap.
        for index in [5, -1] {
            let text = original.replacingOccurrences(of: #""value" : 0"#, with: #""value" : \#(index)"#)
            let r = try XCTUnwrap(StateTest.run(file: temporaryFile(text)).first)
            XCTAssertFalse(r.pass)
            XCTAssertEqual(r.error, "invalid transaction: \(StateTestError.indexOutOfRange(test: "add11", key: "value", index: index))")
            XCTAssertEqual(r.error, "invalid transaction: add11: value index \(index) out of range")
        }
        // A nonce past 256 bits never decodes: the case reports it and the state stays.
        let hugeNonce = original.replacingOccurrences(of: #""nonce" : "0x00",\#n            "secretKey""#,
                                                      with: #""nonce" : "0x1\#(String(repeating: "0", count: 64))",\#n            "secretKey""#)
        let refused = try XCTUnwrap(StateTest.run(file: temporaryFile(hugeNonce)).first)
        XCTAssertFalse(refused.pass)
        XCTAssertEqual(refused.error, "invalid transaction: 0x1\(String(repeating: "0", count: 64)) is not a 256-bit quantity")
    }

    func testFilesThatAreNotFixturesAreRefused() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).json")
        for (text, expected): (String?, StateTestError) in [
            (nil, .unreadable(path: missing.path)),
            ("[1, 2]", .notAFixtureFile(file: "")),
            (String(repeating: "[", count: 50_000), .notAFixtureFile(file: "")),
            (#"{"t": 5}"#, .caseNotAnObject(test: "t")),
            (#"{"t": {"post": {"Cancun": [{}]}}}"#, .missingFields(test: "t", fields: "env, pre, transaction or post fields")),
            (#"{"t": {"exec": {}}}"#, .missingFields(test: "t", fields: "env, exec or pre")),
        ] {
            let url = try text.map(temporaryFile) ?? missing
            XCTAssertThrowsError(try StateTest.run(file: url)) {
                guard let error = $0 as? StateTestError else { return XCTFail("\($0)") }
                if case .notAFixtureFile = expected {
                    XCTAssertEqual(error, .notAFixtureFile(file: url.lastPathComponent))
                } else {
                    XCTAssertEqual(error, expected)
                }
            }
        }
        XCTAssertEqual("\(StateTestError.expectedHexQuantity(found: nil))", "expected a hex quantity, got nothing")
        XCTAssertEqual("\(StateTestError.notAnAddress("0x12"))", "0x12 is not an address")
    }
}
