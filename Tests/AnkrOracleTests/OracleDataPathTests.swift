import AnkrCrypto
import AnkrOracle
import AnkrPrimitives
import AnkrTestSupport
import XCTest

final class OracleDataPathTests: XCTestCase {
    /// The example document and pointers of RFC 6901 §5.
    func testPointersResolveAsRFC6901Specifies() throws {
        let doc = try OracleJSON(parsing: #"{"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}"#)
        XCTAssertEqual(try JSONPointer("").resolve(in: doc), doc)
        XCTAssertEqual(try JSONPointer("/foo").resolve(in: doc), .array([.string("bar"), .string("baz")]))
        XCTAssertEqual(try JSONPointer("/foo/0").resolve(in: doc), .string("bar"))
        for (pointer, n) in [("/", "0"), ("/a~1b", "1"), ("/c%d", "2"), ("/e^f", "3"), ("/g|h", "4"), ("/i\\j", "5"), ("/k\"l", "6"), ("/ ", "7"),
                             ("/m~0n", "8")] {
            XCTAssertEqual(try JSONPointer(pointer).resolve(in: doc), .number(n), pointer)
        }
        for missing in ["/foo/2", "/foo/01", "/foo/-", "/nope", "/foo/0/deeper"] {
            XCTAssertThrowsError(try JSONPointer(missing).resolve(in: doc)) { XCTAssertTrue("\($0)".contains("nothing at"), "\($0)") }
        }
        XCTAssertThrowsError(try JSONPointer("foo"))
        XCTAssertThrowsError(try JSONPointer("/a~2"))
    }

    func testNumbersKeepTheirExactDigits() throws {
        // 0.1 + 0.2 style loss would change a price; the reader keeps the text, scaling is exact.
        let doc = try OracleJSON(parsing: #"{"data": {"price": 61234.123456789012345678901234, "tiny": 1e-30, "big": "1.5e20", "neg": -0.05}}"#)
        guard case .number(let price) = try JSONPointer("/data/price").resolve(in: doc) else { return XCTFail("not a number") }
        XCTAssertEqual(price, "61234.123456789012345678901234")
        XCTAssertEqual(try DecimalValue(price, decimals: 18).description, "61234123456789012345678")
        XCTAssertEqual(try DecimalValue(price, decimals: 0).description, "61234", "cut toward zero, never rounded")
        XCTAssertEqual(try DecimalValue("1e-30", decimals: 18).description, "0")
        XCTAssertEqual(try DecimalValue("1.5e20", decimals: 2).description, "15000000000000000000000")
        XCTAssertEqual(try DecimalValue("-0.05", decimals: 8).description, "-5000000")
        XCTAssertEqual(try DecimalValue("-0.05", decimals: 8).int256(), UInt256.zero &- UInt256(5_000_000))
        XCTAssertEqual(try DecimalValue(" 42 ", decimals: 1).description, "420")
        for bad in ["", ".", "1,234.5", "0x10", "1.2.3", "e5", "1e", "NaN", "--1", "12a", "1e-9223372036854775808", "1e9223372036854775807", "1e81"] {
            XCTAssertThrowsError(try DecimalValue(bad, decimals: 2), bad)
        }
        XCTAssertThrowsError(try DecimalValue("1" + String(repeating: "0", count: 80), decimals: 0)) { XCTAssertTrue("\($0)".contains("does not fit")) }
        XCTAssertThrowsError(try DecimalValue("1", decimals: 37))
    }

    func testHostileDocumentsAreTypedErrors() throws {
        for bad in ["", "{", "[1,]", #"{"a":1,}"#, #"{"a" 1}"#, "01", "1.", "-", "tru", #""\x""#, #""\ud800""#, "\"a\nb\"", #"{"a":1,"a":2}"#,
                    "[1] 2", "nul", #""\u12""#] {
            XCTAssertThrowsError(try OracleJSON(parsing: bad), bad) { XCTAssertTrue($0 is OracleError, "\($0)") }
        }
        XCTAssertThrowsError(try OracleJSON(parsing: String(repeating: "[", count: 100) + String(repeating: "]", count: 100))) {
            XCTAssertEqual($0 as? OracleError, .tooDeep(limit: OracleJSON.maxDepth))
        }
        XCTAssertThrowsError(try OracleJSON(parsing: [UInt8](repeating: 0x20, count: OracleJSON.maxBytes + 1)))
        XCTAssertEqual(try OracleJSON(parsing: #""\ud83d\ude00 \u00e9""#), .string("😀 é"))
        // Random bytes and mutations of a real document: errors or values, never a trap.
        var rng = SplitMix64(seed: 3)
        let base = Array(#"{"a": [1, -2.5e3, "x\u00e9", true, null, {"b": {}}]}"#.utf8)
        for _ in 0..<20_000 {
            var bytes = base
            for _ in 0..<(1 + Int(rng.next() % 3)) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            do { _ = try OracleJSON(parsing: bytes) } catch is OracleError {} catch { XCTFail("\(error)") }
        }
    }

    func testMedianNeedsAQuorumOfAgreeingSources() throws {
        let median = MedianAggregate(quorum: 3, maxDeviationBps: 100)  // 1 %
        func v(_ s: String) throws -> DecimalValue { try DecimalValue(s, decimals: 2) }
        XCTAssertEqual(try median.aggregate([try v("100.00"), try v("100.50"), try v("99.60"), try v("250")]), try v("100.00"),
                       "the outlier is left out; the lower middle of the agreeing three")
        XCTAssertEqual(try median.aggregate([try v("100"), try v("101"), try v("100.5"), try v("99.5")]), try v("100"))
        XCTAssertThrowsError(try median.aggregate([try v("100"), try v("150"), try v("200")])) {
            XCTAssertEqual($0 as? OracleError, .tooFewAgree(agreeing: 1, required: 3))
        }
        XCTAssertThrowsError(try median.aggregate([try v("100"), try v("100")])) { XCTAssertEqual($0 as? OracleError, .tooFewAgree(agreeing: 2, required: 3)) }
        XCTAssertEqual(try MedianAggregate(quorum: 2, maxDeviationBps: 500).aggregate([try v("-10"), try v("-10.2"), try v("10")]), try v("-10.2"))
    }

    func testDatagramsAreBoundToChainContractRequestAndParams() throws {
        let key = try PrivateKey(hex: "0x" + String(repeating: "0a", count: 32))
        let contract = try Address(hex: "0x00000000000000000000000000000000000a0002")
        let d = OracleDatagram(chainID: 7331, contract: contract, requestID: UInt256(9), paramsHash: Keccak256.h256([1]), error: 0,
                               data: try ABI.encode([.int(try DecimalValue("61234.5", decimals: 2).int256())], types: [.int(bits: 256)]))
        let sig = try d.sign(with: key)
        XCTAssertEqual(sig.count, 65)
        XCTAssertEqual(try d.signer(of: sig), key.address)
        func changed(_ edit: (inout OracleDatagram) -> Void) -> OracleDatagram {
            var x = d
            edit(&x)
            return x
        }
        let others: [OracleDatagram] = [changed { $0.chainID = 1 }, changed { $0.requestID = UInt256(10) }, changed { $0.paramsHash = Keccak256.h256([2]) },
                                        changed { $0.error = 1 }, changed { $0.contract = .zero }]
        for changed in others {
            XCTAssertNotEqual(try changed.signer(of: sig), key.address, "a signature does not carry over to another datagram")
        }
    }
}
