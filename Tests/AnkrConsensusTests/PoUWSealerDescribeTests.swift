import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import XCTest

/// The seal JSON-RPC shows for a PoUW block (`seal` of a block, `ankr_getSeal`): every field the
/// explorer and the devnet tests read, in JSON-RPC encodings; bytes that are no PoUW seal as hex.
final class PoUWSealerDescribeTests: XCTestCase {
    func testASealIsDecodedAndAnythingElseIsShownAsHex() throws {
        let policy = AttestationPolicy(trustedRoots: [], allowedMeasurements: [], allowSimulated: true)
        let sealer = try PoUWSealer(parameters: PoUWParameters(policy: policy), enclave: nil)
        func word(_ byte: UInt8) -> H256 { H256(word: UInt256(UInt64(byte))) }
        let statement = PoUWStatement(templateHash: word(1), target: UInt256(0xabc), subtaskID: word(2), moduleHash: word(3),
                                      inputHash: word(4), outputHash: word(5), fuel: 4_096, win: true)
        // Sizes as decoding demands them (signatures are the verifier's business, not the description's).
        let enclaveKey = [2] + [UInt8](repeating: 0xee, count: 32)
        let report = EnclaveReport(measurement: word(6), signer: word(7), debug: false, reportData: [UInt8](repeating: 0, count: 64), timestamp: 1)
        let evidence = AttestationEvidence(format: .simulated, report: report, enclaveKey: enclaveKey, platformID: word(8),
                                           platformKey: [3] + [UInt8](repeating: 1, count: 32), platformCertificate: [UInt8](repeating: 0, count: 65),
                                           reportSignature: [UInt8](repeating: 0, count: 65))
        let raw = PoUWSeal(statement: statement, signature: [UInt8](repeating: 9, count: 65), input: [], platformID: word(8),
                           evidence: evidence).encoded

        // The signature recovers to no key, so the enclave is unknown (null); a registered seal has no evidence.
        XCTAssertEqual(sealer.describe(seal: raw), [
            "enclave": .null, "platformId": .string(word(8).description), "evidence": "simulated",
            "templateHash": .string(word(1).description), "target": "0xabc", "subtaskId": .string(word(2).description),
            "moduleHash": .string(word(3).description), "inputHash": .string(word(4).description), "outputHash": .string(word(5).description),
            "fuel": "0x1000", "win": true, "raw": .string(raw.hexPrefixed),
        ])
        let key = try PrivateKey(hex: "0x" + String(repeating: "42", count: 32))
        let registered = PoUWSeal(statement: statement, signature: try key.sign(hash: statement.hash).rsv, input: [], platformID: word(8),
                                  evidence: nil).encoded
        XCTAssertEqual(sealer.describe(seal: registered)["enclave"], .string(key.address.checksummed))
        XCTAssertEqual(sealer.describe(seal: registered)["evidence"], .null)
        XCTAssertEqual(sealer.describe(seal: []), "0x", "genesis carries no seal")
        XCTAssertEqual(sealer.describe(seal: [0xc0, 0x01]), "0xc001")
        XCTAssertEqual(DevSealer().describe(seal: []), "0x")
    }
}
