import AnkrChain
import AnkrPrimitives
import Foundation
import XCTest

/// Genesis files read through `JSON`: every setting of a full file lands where it belongs, the
/// feature sections stay as written, and each bad value is refused with the ``GenesisError`` that
/// names its key path — hostile files included, without a trap.
extension StateTransitionTests {
    private func parse(_ json: String) throws -> Genesis { try Genesis(json: Data(json.utf8)) }

    private func assertRefused(_ json: String, _ expected: GenesisError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(json), file: file, line: line) {
            XCTAssertEqual($0 as? GenesisError, expected, "\($0) for \(json)", file: file, line: line)
        }
    }

    /// A genesis around `ankr` (the body of `config.ankr`) and `rest` (more top-level members).
    private func file(ankr: String = "{}", rest: String = "") -> String {
        #"{"config": {"chainId": 7, "ankr": \#(ankr)}\#(rest.isEmpty ? "" : ", " + rest)}"#
    }

    func testAFullGenesisFileSetsEverySetting() throws {
        let root = "0x02" + String(repeating: "11", count: 32), measurement = "0x" + String(repeating: "ab", count: 32)
        let g = try parse("""
            {"config": {"chainId": "0x1ca3", "homesteadBlock": 0,
                        "ankr": {"blockTimeSeconds": 3, "blockReward": "1000", "consensus": "pouw",
                                 "attestationRoots": ["\(root)"], "allowedMeasurements": ["\(measurement)"],
                                 "allowSimulatedAttestation": true, "minimumDifficulty": 4096, "reexecute": false,
                                 "fastestPlatformRate": 0.5, "anomalyAlpha": 0.001, "anomalyWindow": 50000,
                                 "workBond": "0x10", "workDisputeWindow": 7,
                                 "plasma": {"exitBond": "0x5"}, "oracle": {"minimumFee": 9, "future": [1, {"x": null}]}}},
             "nonce": "0x0", "mixhash": "0x00", "gasLimit": 8000000, "baseFeePerGas": "7", "difficulty": "0x2",
             "timestamp": "0x10", "extraData": "0xabcd", "coinbase": "0x00000000000000000000000000000000000000c0",
             "alloc": {"00000000000000000000000000000000000000aa": {"balance": 5, "nonce": "0x3", "code": "0x60",
                                                                     "storage": {"0x01": "0x02"}}}}
            """)
        XCTAssertEqual(g.chainID, 7331)
        XCTAssertEqual(g.gasLimit, 8_000_000)
        XCTAssertEqual(g.baseFeePerGas, UInt256(7))
        XCTAssertEqual(g.difficulty, UInt256(2))
        XCTAssertEqual(g.timestamp, 16)
        XCTAssertEqual(g.extraData, [0xab, 0xcd])
        XCTAssertEqual(g.coinbase, try Address(hex: "0x00000000000000000000000000000000000000c0"))
        XCTAssertEqual(g.parameters.blockTimeSeconds, 3)
        XCTAssertEqual(g.parameters.blockReward, UInt256(1000))
        XCTAssertEqual(g.parameters.plasma, ["exitBond": "0x5"])
        XCTAssertEqual(g.parameters.oracle, ["minimumFee": 9, "future": [1, ["x": nil]]], "kept as written, for AnkrOracle to judge")
        guard case .pouw(let pouw) = g.parameters.consensus else { return XCTFail("\(g.parameters.consensus)") }
        XCTAssertEqual(pouw.attestationRoots, [try Hex.decode(root)])
        XCTAssertEqual(pouw.allowedMeasurements, [try H256(hex: measurement)])
        XCTAssertTrue(pouw.allowSimulatedAttestation)
        XCTAssertFalse(pouw.reexecute)
        XCTAssertEqual(pouw.minimumDifficulty, UInt256(4096))
        XCTAssertEqual(pouw.fastestPlatformRate, 0.5)
        XCTAssertEqual(pouw.anomalyAlpha, 0.001)
        XCTAssertEqual(pouw.anomalyWindow, 10_000, "capped")
        XCTAssertEqual(pouw.workBond, UInt256(16))
        XCTAssertEqual(pouw.workDisputeWindow, 7)
        let account = try XCTUnwrap(g.alloc[try Address(hex: "0x00000000000000000000000000000000000000aa")])
        XCTAssertEqual(account, Genesis.Allocation(balance: UInt256(5), nonce: 3, code: [0x60], storage: [H256(word: UInt256(1)): UInt256(2)]))
    }

    func testDefaultsAndAbsentSections() throws {
        let g = try parse(#"{"config": {"chainId": 1}}"#)
        XCTAssertEqual(g.parameters, ChainParameters())
        XCTAssertNil(g.parameters.plasma)
        XCTAssertNil(g.parameters.oracle)
        XCTAssertEqual(g.parameters.consensus, .dev)
        XCTAssertEqual(g.gasLimit, 30_000_000)
        XCTAssertTrue(g.alloc.isEmpty)
        XCTAssertEqual(try parse(file(ankr: #"{"plasma": null, "consensus": "dev"}"#)).parameters, ChainParameters())
        XCTAssertEqual(try Genesis(json: Data([0xEF, 0xBB, 0xBF] + Array(#"{"config": {"chainId": 5}}"#.utf8))).chainID, 5, "a byte-order mark is skipped")
    }

    func testStorageValuesAreHexWithOrWithoutThePrefixAsGethReadsThem() throws {
        let key = "0x" + String(repeating: "ab", count: 20)
        let g = try parse(file(rest: #""alloc": {"\#(key)": {"storage": {"01": "10", "0x02": "0x10", "03": "ff"}}}"#))
        let storage = try XCTUnwrap(g.alloc[try Address(hex: key)]?.storage)
        XCTAssertEqual(storage[H256(word: UInt256(1))], UInt256(16), "a bare \"10\" is 0x10, as in geth, not ten")
        XCTAssertEqual(storage[H256(word: UInt256(2))], UInt256(16))
        XCTAssertEqual(storage[H256(word: UInt256(3))], UInt256(255))
    }

    func testEachBadValueIsRefusedWithItsKeyPath() {
        let key = "0x00000000000000000000000000000000000000aa"
        for (json, expected): (String, GenesisError) in [
            ("[]", .wrongType(path: "top level", expected: "an object")),
            ("{}", .missing(path: "config")),
            (#"{"config": []}"#, .wrongType(path: "config", expected: "an object")),
            (#"{"config": {}}"#, .missing(path: "config.chainId")),
            (#"{"config": {"chainId": "0x10000000000000000"}}"#, .outOfRange(path: "config.chainId", must: "fit 64 bits")),
            (#"{"config": {"chainId": -1}}"#,
             .outOfRange(path: "config.chainId", must: "be a non-negative integer below 2^63 (write larger ones as strings)")),
            (#"{"config": {"chainId": 1.5}}"#,
             .outOfRange(path: "config.chainId", must: "be a non-negative integer below 2^63 (write larger ones as strings)")),
            (#"{"config": {"chainId": true}}"#, .wrongType(path: "config.chainId", expected: "a number or a string")),
            (#"{"config": {"chainId": "seven"}}"#, .notANumber(path: "config.chainId", text: "seven")),
            (file(ankr: "7"), .wrongType(path: "config.ankr", expected: "an object")),
            (file(ankr: #"{"blockTimeSeconds": 0}"#), .outOfRange(path: "config.ankr.blockTimeSeconds", must: "be positive")),
            (file(ankr: #"{"blockReward": "0x1\#(String(repeating: "0", count: 64))"}"#),
             .notANumber(path: "config.ankr.blockReward", text: "0x1" + String(repeating: "0", count: 64))),
            (file(ankr: #"{"consensus": "pow"}"#), .unknownConsensus("pow")),
            (file(ankr: #"{"consensus": 1}"#), .wrongType(path: "config.ankr.consensus", expected: "a string")),
            (file(ankr: #"{"consensus": "pouw"}"#), .missing(path: "config.ankr.attestationRoots")),
            (file(ankr: #"{"consensus": "pouw", "attestationRoots": []}"#), .empty(path: "config.ankr.attestationRoots")),
            (file(ankr: #"{"consensus": "pouw", "attestationRoots": "0x02"}"#), .wrongType(path: "config.ankr.attestationRoots", expected: "a list")),
            (file(ankr: #"{"consensus": "pouw", "attestationRoots": ["0x02\#(String(repeating: "11", count: 32))", "0x02"]}"#),
             .malformed(path: "config.ankr.attestationRoots[1]", expected: "a 33-byte compressed public key")),
            (file(ankr: #"{"consensus": "pouw", "attestationRoots": ["0x02\#(String(repeating: "11", count: 32))"], "allowedMeasurements": [7]}"#),
             .malformed(path: "config.ankr.allowedMeasurements[0]", expected: "a 32-byte hash")),
            (file(ankr: #"{"consensus": "pouw", "attestationRoots": ["0x02\#(String(repeating: "11", count: 32))"], "allowedMeasurements": ["0x\#(String(repeating: "ab", count: 32))"], "anomalyAlpha": 0}"#),
             .outOfRange(path: "config.ankr.anomalyAlpha", must: "be a number in (0, 1]")),
            (file(ankr: #"{"consensus": "pouw", "attestationRoots": ["0x02\#(String(repeating: "11", count: 32))"], "allowedMeasurements": ["0x\#(String(repeating: "ab", count: 32))"], "reexecute": "yes"}"#),
             .wrongType(path: "config.ankr.reexecute", expected: "true or false")),
            (file(rest: #""alloc": []"#), .wrongType(path: "alloc", expected: "an object")),
            (file(rest: #""alloc": {"0x12": {}}"#), .malformed(path: "alloc 0x12", expected: "an address")),
            (file(rest: #""alloc": {"\#(key)": null}"#), .wrongType(path: "alloc \(key)", expected: "an object")),
            (file(rest: #""alloc": {"\#(key)": {"balance": {}}}"#), .wrongType(path: "alloc \(key) balance", expected: "a number or a string")),
            (file(rest: #""alloc": {"\#(key)": {"nonce": "0x10000000000000000"}}"#), .outOfRange(path: "alloc \(key) nonce", must: "fit 64 bits")),
            (file(rest: #""alloc": {"\#(key)": {"code": "0xzz"}}"#), .malformed(path: "alloc \(key) code", expected: "hex")),
            (file(rest: #""alloc": {"\#(key)": {"storage": []}}"#), .wrongType(path: "alloc \(key) storage", expected: "an object")),
            (file(rest: #""alloc": {"\#(key)": {"storage": {"0x01": 2}}}"#), .wrongType(path: "alloc \(key) storage entry 0x01", expected: "a hex string")),
            (file(rest: #""alloc": {"\#(key)": {"storage": {"0xq1": "0x2"}}}"#), .malformed(path: "alloc \(key) storage entry 0xq1", expected: "hex")),
            (file(rest: #""extraData": "0x\#(String(repeating: "00", count: 33))""#), .extraDataTooLong(33)),
            (file(rest: #""extraData": "xyz""#), .malformed(path: "extraData", expected: "hex")),
            (file(rest: #""coinbase": "0x12""#), .malformed(path: "coinbase", expected: "an address")),
            (file(rest: #""gasLimit": 4999"#), .outOfRange(path: "gasLimit", must: "be between 5000 and 2^64-1")),
            (file(rest: #""gasLimit": "0xzz""#), .notANumber(path: "gasLimit", text: "0xzz")),
            (file(rest: #""timestamp": "0x1ffffffffffffffff""#), .outOfRange(path: "timestamp", must: "fit 64 bits")),
        ] {
            assertRefused(json, expected)
        }
    }

    func testMessagesNameThePathAndTheProblem() {
        XCTAssertEqual("\(GenesisError.outOfRange(path: "config.chainId", must: "fit 64 bits"))", "invalid genesis: config.chainId must fit 64 bits")
        XCTAssertEqual("\(GenesisError.malformed(path: "alloc 0x12", expected: "an address"))", "invalid genesis: alloc 0x12 is not an address")
        XCTAssertEqual("\(GenesisError.unknownSetting(path: "config.ankr.plasma.bond"))", "invalid genesis: unknown setting config.ankr.plasma.bond")
        XCTAssertEqual("\(GenesisError.extraDataTooLong(33))", "invalid genesis: extraData is 33 bytes; at most 32 allowed")
    }

    func testHostileFilesAreRefusedWithoutATrap() throws {
        // Nesting far past the parser's bound, in the file and inside a kept section.
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try parse(deep)) { XCTAssertTrue($0 is GenesisError, "\($0)") }
        XCTAssertThrowsError(try parse(file(ankr: #"{"oracle": \#(deep)}"#))) {
            guard case .notJSON? = $0 as? GenesisError else { return XCTFail("\($0)") }
        }
        // Numbers past every integer type, as JSON numbers and as text.
        for text in ["{", #"{"config": {"chainId": 1}} x"#, ""] {
            XCTAssertThrowsError(try parse(text)) { guard case .notJSON? = $0 as? GenesisError else { return XCTFail("\($0)") } }
        }
        XCTAssertThrowsError(try parse(#"{"config": {"chainId": 1e400}}"#)) { XCTAssertTrue($0 is GenesisError, "\($0)") }
        assertRefused(#"{"config": {"chainId": 18446744073709551616}}"#,
                      .outOfRange(path: "config.chainId", must: "be a non-negative integer below 2^63 (write larger ones as strings)"))
        let huge = String(repeating: "9", count: 10_000)
        assertRefused(file(rest: #""difficulty": "\#(huge)""#), .notANumber(path: "difficulty", text: huge))
        assertRefused(file(rest: #""gasLimit": "-1""#), .notANumber(path: "gasLimit", text: "-1"))
        // Every member of the wrong type, at every level: a typed error each time.
        for json in [#"{"config": null}"#, #"{"config": {"chainId": null}}"#, file(ankr: "[]"), file(ankr: #""x""#),
                     file(rest: #""alloc": "x""#), file(rest: #""coinbase": 5"#), file(rest: #""extraData": []"#),
                     file(rest: #""timestamp": {}"#), file(rest: #""baseFeePerGas": [1]"#), "null", "5", #""genesis""#] {
            XCTAssertThrowsError(try parse(json)) { XCTAssertTrue($0 is GenesisError, "\($0) for \(json)") }
        }
    }
}
