import AnkrEVM
import AnkrPrimitives
import XCTest

/// The bn254 pairing check (0x08) by its algebra: bilinearity, non-degeneracy, the identity, and the
/// refusal of malformed points. Points come from the 0x06/0x07 precompiles and scalar multiples of the
/// EIP-197 G2 generator computed here by double-and-add on the twist.
final class PairingTests: XCTestCase {
    static let p = try! UInt256(parsing: "21888242871839275222246405745257275088696311157297823662689037894645226208583")
    let pairing = try! XCTUnwrap(Precompiles.contract(at: try Address(hex: "0x0000000000000000000000000000000000000008")))
    let ecMul = try! XCTUnwrap(Precompiles.contract(at: try Address(hex: "0x0000000000000000000000000000000000000007")))

    /// The EIP-197 generator of G2, each coordinate as (imaginary, real).
    let g2: [UInt256] = try! [
        "11559732032986387107991004021392285783925812861821192530917403151452391805634",
        "10857046999023057135944570762232829481370756359578518086990519993285655852781",
        "4082367875863433681332203403145435568316851327593401208105741076214120093531",
        "8495653923123431417604973247489272438418190587263600148770280649306958101930",
    ].map { try UInt256(parsing: $0) }

    func g1(_ k: UInt64) throws -> [UInt8] {
        let r = ecMul(UInt256.one.bigEndianBytes + UInt256(2).bigEndianBytes + UInt256(k).bigEndianBytes, 10_000)
        XCTAssertTrue(r.succeeded)
        return r.output
    }

    func negateG1(_ point: [UInt8]) -> [UInt8] {
        let y = UInt256(bigEndian: point[32..<64]) ?? .zero
        return Array(point[0..<32]) + (y.isZero ? y : Self.p &- y).bigEndianBytes
    }

    func check(_ pairs: [[UInt8]], gas: UInt64 = 10_000_000) -> FrameResult { pairing(pairs.flatMap { $0 }, gas) }

    func assertResult(_ r: FrameResult, _ expected: UInt64, line: UInt = #line) {
        XCTAssertTrue(r.succeeded, "\(r.status)", line: line)
        XCTAssertEqual(r.output, UInt256(expected).bigEndianBytes, line: line)
    }

    var generator2: [UInt8] { g2.flatMap(\.bigEndianBytes) }

    func testBilinearityAndNonDegeneracy() throws {
        let one = try g1(1)
        // e(P, Q) alone is not 1; e(P, Q)·e(−P, Q) is.
        assertResult(check([one + generator2]), 0)
        assertResult(check([one + generator2, negateG1(one) + generator2]), 1)
        // e(6·P, Q)·e(−2·P, Q)·e(−4·P, Q) = 1, and not with −3·P.
        assertResult(check([try g1(6) + generator2, negateG1(try g1(2)) + generator2, negateG1(try g1(4)) + generator2]), 1)
        assertResult(check([try g1(6) + generator2, negateG1(try g1(2)) + generator2, negateG1(try g1(3)) + generator2]), 0)
        // Q negated: e(P, −Q)·e(P, Q) = 1.
        var negQ = g2
        negQ[2] = Self.p &- g2[2]; negQ[3] = Self.p &- g2[3]
        assertResult(check([one + negQ.flatMap(\.bigEndianBytes), one + generator2]), 1)
        // No pairs, or only points at infinity: the empty product is 1.
        assertResult(check([]), 1)
        assertResult(check([[UInt8](repeating: 0, count: 64) + generator2, one + [UInt8](repeating: 0, count: 128)]), 1)
    }

    func testPricesAndMalformedInputs() throws {
        let one = try g1(1)
        let r = check([one + generator2, negateG1(one) + generator2], gas: 45_000 + 2 * 34_000)
        assertResult(r, 1)
        XCTAssertEqual(r.gasLeft, 0)
        XCTAssertFalse(check([one + generator2], gas: 78_999).succeeded, "one pair costs 79,000")
        XCTAssertFalse(pairing(one + generator2 + [0], 1_000_000).succeeded, "not a multiple of 192 bytes")
        var offTwist = g2
        offTwist[3] = offTwist[3] &+ .one
        XCTAssertFalse(check([one + offTwist.flatMap(\.bigEndianBytes)]).succeeded, "G2 point off the twist")
        // (1, y) with y² = 1 + 3/ξ lies on the twist but outside G2 (its order is not n): refused.
        let outside: [UInt256] = try [
            "0", "1", "5912654199736721486680175016176231956195085055698687135131307249486702594212",
            "18278151005453108793778860132295291098363647455926340152056652516292830556603",
        ].map { try UInt256(parsing: $0) }
        XCTAssertFalse(check([one + outside.flatMap(\.bigEndianBytes)]).succeeded, "G2 point outside the subgroup")
        var unreduced = g2
        unreduced[1] = unreduced[1] &+ Self.p
        XCTAssertFalse(check([one + unreduced.flatMap(\.bigEndianBytes)]).succeeded, "coordinate not below p")
        XCTAssertFalse(check([UInt256.one.bigEndianBytes + UInt256(3).bigEndianBytes + generator2]).succeeded, "G1 point off the curve")
    }
}
