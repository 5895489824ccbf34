import AnkrEVM
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// The EVM's own checks beside the GeneralStateTests run (`scripts/statetests`): published vectors
/// for the address rules and precompiles, and hostile bytecode that must end in a clean failure.
final class EVMTests: XCTestCase {
    func call(_ code: [UInt8], input: [UInt8] = [], gas: UInt64 = 1_000_000, at target: String = "0x000000000000000000000000000000000000c0de") throws -> (FrameResult, InMemoryEVMState) {
        try EVMHarness.call(code, input: input, gas: gas, at: target)
    }

    func testCreateAddressesFollowTheYellowPaperAndEIP1014() throws {
        XCTAssertEqual(EVM.createAddress(try Address(hex: "0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0"), nonce: 0),
                       try Address(hex: "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"))
        // EIP-1014 example 5.
        XCTAssertEqual(EVM.create2Address(try Address(hex: "0x00000000000000000000000000000000deadbeef"),
                                          salt: try UInt256(parsing: "0x00000000000000000000000000000000000000000000000000000000cafebabe"),
                                          initcodeHash: Keccak256.hash(try Hex.decode("0xdeadbeef"))),
                       try Address(hex: "0x60f3f640a8508fC6a86d45DF051962668E1e8AC7"))
    }

    func testPrecompileVectors() throws {
        // RIPEMD-160("abc") and SHA-256("abc"), through the precompiles.
        let (ripemd, _) = try call([], input: Array("abc".utf8), at: "0x0000000000000000000000000000000000000003")
        XCTAssertEqual(ripemd.output.hexPrefixed, "0x0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc")
        let (sha, _) = try call([], input: Array("abc".utf8), at: "0x0000000000000000000000000000000000000002")
        XCTAssertEqual(sha.output.hexPrefixed, "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // BLAKE2 F is covered by GeneralStateTests' blake2B.json (26 cases).
        // 3^5 mod 7 = 5 through modexp; bn254: G + G = 2G.
        let modexp = UInt256(1).bigEndianBytes + UInt256(1).bigEndianBytes + UInt256(1).bigEndianBytes + [3, 5, 7]
        XCTAssertEqual(try call([], input: modexp, at: "0x0000000000000000000000000000000000000005").0.output, [5])
        let g = UInt256(1).bigEndianBytes + UInt256(2).bigEndianBytes
        let (sum, _) = try call([], input: g + g, at: "0x0000000000000000000000000000000000000006")
        let (twice, _) = try call([], input: g + UInt256(2).bigEndianBytes, at: "0x0000000000000000000000000000000000000007")
        XCTAssertEqual(sum.output, twice.output)
        XCTAssertEqual(sum.output.hexPrefixed,
                       "0x030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4")
    }

    func testHostileBytecodeEndsInACleanFailure() throws {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<3_000 {
            let code = (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let (r, _) = try call(code, gas: 200_000)
            if case .failure = r.status { XCTAssertEqual(r.gasLeft, 0) }
        }
        // Memory offsets far beyond any gas: out of gas, not a crash.
        let (huge, _) = try call([0x60, 0x01, 0x7f] + [UInt8](repeating: 0xff, count: 32) + [0x52])
        XCTAssertEqual(huge.status, .failure("out of gas"))
        // LOG0 of 2^63 bytes: out of gas, not an overflow trap.
        let (log, _) = try call([0x67, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x60, 0x00, 0xa0])
        XCTAssertEqual(log.status, .failure("out of gas"))
        // An infinite loop stops when the gas does.
        let (loop, _) = try call([0x5b, 0x60, 0x00, 0x56])
        XCTAssertEqual(loop.status, .failure("out of gas"))
    }
}
