import AnkrChain
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// ethereum/tests TransactionTests for London, Paris, Shanghai and Cancun: every valid case gives
/// the expected hash, sender and intrinsic gas and re-encodes byte-exactly; every invalid case is rejected.
///
/// Earlier forks are out of scope (Ankr starts at Cancun rules). The vectors' chain id is 1.
final class TransactionVectorTests: XCTestCase {
    func testEveryCaseForLondonAndLater() throws {
        var passed = [String: Int]()
        var checked = 0
        for file in try Vectors.jsonFiles("TransactionTests") {
            let cases = try XCTUnwrap(Vectors.load(file) as? [String: [String: Any]])
            let dir = file.deletingLastPathComponent().lastPathComponent
            for (name, c) in cases {
                let raw = try [UInt8](hex: try XCTUnwrap(c["txbytes"] as? String))
                let results = try XCTUnwrap(c["result"] as? [String: [String: String]])
                for fork in Fork.allCases {
                    guard let expected = results[fork.name] else { continue }
                    checked += 1
                    let label = "\(dir)/\(name) [\(fork.name)]"
                    let outcome = Result { () -> (Transaction, Address) in
                        let tx = try Transaction(raw: raw)
                        return (tx, try tx.validate(chainID: 1, fork: fork))
                    }
                    if let exception = expected["exception"] {
                        if case .success = outcome { XCTFail("\(label) accepted, expected \(exception)") } else { passed[dir, default: 0] += 1 }
                        continue
                    }
                    switch outcome {
                    case .failure(let e):
                        XCTFail("\(label) rejected: \(e)")
                    case .success(let (tx, sender)):
                        XCTAssertEqual(sender.bytes.hexPrefixed, expected["sender"], label)
                        XCTAssertEqual(tx.hash.description, expected["hash"], label)
                        XCTAssertEqual(IntrinsicGas.of(tx, fork: fork), try UInt256(parsing: try XCTUnwrap(expected["intrinsicGas"])), label)
                        XCTAssertEqual(tx.encoded, raw, label)
                        passed[dir, default: 0] += 1
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 775)
        print("TransactionTests passed per directory:", passed.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "), "of \(checked) checks")
    }
}
