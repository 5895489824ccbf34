import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import AnkrStorage
import Foundation
import XCTest

/// A miner's enclave is attested once, in the EnclaveRegistry; its seals then carry only the signed
/// statement, validators look the key up as of the parent block, and an expired or missing
/// registration sends the miner back to carrying evidence.
final class RegisteredMinerTests: XCTestCase {
    let root = DevelopmentAttestationRoot(key: try! PrivateKey(hex: "0x" + String(repeating: "0d", count: 32)))
    let operatorKey = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    static let name = "ankr-miner-v1"

    var rules: AttestationRules {
        var r = AttestationRules()
        r.registrationPeriod = 20
        r.miner.attestationRoots = [root.publicKey]
        r.miner.measurements = [SimulatedEnclave.measurement(named: Self.name)]
        r.miner.allowSimulatedAttestation = true
        return r
    }

    func parameters() -> PoUWParameters {
        var policy = rules.policy(for: .miner)
        policy.maxAge = nil
        return PoUWParameters(policy: policy, blockTimeSeconds: 5, minimumDifficulty: UInt256(200_000))
    }

    func chain(sealer: Sealer, genesisTime: UInt64) throws -> Blockchain {
        let genesis = Genesis(chainID: 7331, difficulty: UInt256(200_000), timestamp: genesisTime,
                              alloc: [operatorKey.address: .init(balance: UInt256(1_000_000_000_000_000_000))])
        return try Blockchain(database: ChainDatabase(), genesis: genesis, sealer: sealer,
                              systemContracts: SystemContractRegistry([EnclaveRegistry(rules: rules)]))
    }

    func mine(_ chain: Blockchain, _ txs: [Transaction] = []) throws -> Block {
        let candidates = try txs.map { ($0, try $0.recoverSender()) }
        let built = try chain.produceBlock(candidates: candidates, coinbase: .zero, timestamp: chain.head.timestamp + 2)
        XCTAssertEqual(built.block.transactions.count, txs.count)
        let sealed = try chain.sealer.seal(built.block, chain: chain, stop: { false })
        try chain.importBlock(built, sealed: sealed)
        return sealed
    }

    func testARegisteredMinersSealsCarryNoEvidenceAndValidatorsAcceptThem() throws {
        let start = UInt64(Date().timeIntervalSince1970) - 100
        let platform = try SimulatedPlatform(id: Keccak256.h256([7]), key: PrivateKey.random(), root: root)
        let enclave = SimulatedEnclave(name: Self.name, platform: platform, clock: { start })
        let mining = try chain(sealer: try PoUWSealer(parameters: parameters(), enclave: enclave, passesPerSubtask: 200), genesisTime: start)
        let validator = try chain(sealer: try PoUWSealer(parameters: parameters(), enclave: nil), genesisTime: start)

        // Unregistered: the first seal carries evidence.
        var blocks = [try mine(mining)]
        XCTAssertNotNil(try PoUWSeal(encoded: blocks[0].header.seal).evidence)

        // The operator registers the enclave; from the next block on, seals are statements only.
        let binding = EnclaveRegistry.registrationBinding(chainID: 7331, registrant: operatorKey.address, role: .miner)
        let call = try ABI.encodeCall("register(bytes,uint8)", [.bytes(try enclave.attest(userData: binding).encoded), .uint(.zero)])
        let tx = try Transaction.dynamicFee(chainID: 7331, nonce: 0, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(100_000_000_000),
                                            gasLimit: 1_000_000, to: EnclaveRegistry.address, value: .zero, data: call).signed(with: operatorKey)
        blocks.append(try mine(mining, [tx]))
        XCTAssertNotNil(EnclaveRegistry.registration(of: enclave.publicKey.address, role: .miner, state: mining.state(at: mining.head),
                                                     time: mining.head.timestamp))
        blocks.append(try mine(mining))
        let registered = try PoUWSeal(encoded: blocks[2].header.seal)
        XCTAssertNil(registered.evidence, "a registered miner's seal carries no evidence")
        XCTAssertEqual(registered.platformID, platform.id)
        XCTAssertLessThan(blocks[2].header.seal.count, blocks[0].header.seal.count)
        for b in blocks { try validator.importBlock(b) }
        XCTAssertEqual(validator.head.hash, mining.head.hash)

        // Another enclave's statement-only seal is refused: it is not registered.
        let stranger = PrivateKey.random()
        var forged = registered
        forged.signature = try stranger.sign(hash: forged.statement.hash).rsv
        var header = blocks[2].header
        header.seal = forged.encoded
        let parent = try XCTUnwrap(validator.header(hash: header.parentHash))
        XCTAssertThrowsError(try validator.sealer.verifySeal(header, parent: parent, chain: validator)) {
            XCTAssertEqual($0 as? PoUWSealError, .unregisteredEnclave(stranger.address))
        }

        // Whoever drives the enclave cannot get a statement signed through its generic `sign`: that signs a
        // domain-separated digest, so the signature recovers to some other key, which is not registered.
        var claimed = registered
        claimed.statement.fuel += 1_000_000
        claimed.signature = try enclave.sign(hash: claimed.statement.hash).rsv
        header.seal = claimed.encoded
        XCTAssertThrowsError(try validator.sealer.verifySeal(header, parent: parent, chain: validator)) {
            guard case .unregisteredEnclave(let who) = $0 as? PoUWSealError else { return XCTFail("\($0)") }
            XCTAssertNotEqual(who, enclave.publicKey.address)
        }

        // Past the registration period (20 s) the miner carries evidence again, and is accepted.
        var late = blocks[2]
        for _ in 0..<11 { late = try mine(mining) }
        XCTAssertNotNil(try PoUWSeal(encoded: late.header.seal).evidence, "an expired registration needs evidence again")
    }
}
