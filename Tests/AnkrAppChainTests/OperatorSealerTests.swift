import AnkrAppChain
import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrStorage
import XCTest

/// Only the operator's signature seals an application chain's block, in one encoding only.
final class OperatorSealerTests: XCTestCase {
    func testOnlyTheOperatorsLowSSignatureSeals() throws {
        let f = try AppChainFixture(users: 4)
        let sealer = OperatorSealer(operator: f.op.address, key: f.op)
        XCTAssertTrue(sealer.produces)
        XCTAssertFalse(OperatorSealer(operator: f.op.address, key: f.challenger).produces, "another key never seals")
        let parent = f.child.head
        let block = try f.build([])
        let sealed = try sealer.seal(block, chain: f.child) { false }
        XCTAssertNoThrow(try sealer.verifySeal(sealed.header, parent: parent, chain: f.child))

        var unsealed = sealed.header
        unsealed.seal = []
        XCTAssertThrowsError(try sealer.verifySeal(unsealed, parent: parent, chain: f.child)) { XCTAssertEqual($0 as? OperatorSealError, .malformed(bytes: 0)) }
        var foreign = sealed.header
        foreign.seal = try f.challenger.sign(hash: foreign.sealHash.bytes).rsv
        XCTAssertThrowsError(try sealer.verifySeal(foreign, parent: parent, chain: f.child)) {
            XCTAssertEqual($0 as? OperatorSealError, .notTheOperator(signer: f.challenger.address, operator: f.op.address))
        }
        // The same signature with v as 27/28, or with s mirrored to the high half: other bytes, refused.
        var v27 = sealed.header
        v27.seal[64] += 27
        XCTAssertThrowsError(try sealer.verifySeal(v27, parent: parent, chain: f.child))
        var highS = sealed.header
        let s = try XCTUnwrap(UInt256(bigEndian: highS.seal[32..<64]))
        highS.seal.replaceSubrange(32..<64, with: (Signature.order &- s).bigEndianBytes)
        highS.seal[64] ^= 1
        XCTAssertThrowsError(try sealer.verifySeal(highS, parent: parent, chain: f.child))
        // A header changed after sealing no longer carries the operator's signature.
        var changed = sealed.header
        changed.extraData = [1]
        XCTAssertThrowsError(try sealer.verifySeal(changed, parent: parent, chain: f.child))
        var harder = sealed.header
        harder.difficulty = harder.difficulty &+ .one
        XCTAssertThrowsError(try sealer.verifySeal(harder, parent: parent, chain: f.child)) { XCTAssertEqual($0 as? OperatorSealError, .difficultyChanged) }
        // A node without the key produces nothing.
        XCTAssertThrowsError(try OperatorSealer(operator: f.op.address, key: nil).seal(block, chain: f.child) { false })
    }
}
