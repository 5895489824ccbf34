import AnkrChain
import AnkrConsensus
import AnkrCrypto
import AnkrDCAP
import AnkrDCAPTesting
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrNode
import AnkrOracle
import AnkrPrimitives
import AnkrStorage
import Foundation
import XCTest

/// A chain secured by DCAP evidence under a test root that genesis trusts: genesis carries the first
/// collateral, the first seals carry SGX quotes, a miner and an oracle register with quotes, the
/// registered miner's seals are statements only, and the DCAP oracle answers a request — all through
/// ChainSpec, as a node builds the chain.
final class DCAPChainTests: XCTestCase {
    /// Mints the platform's quotes over whatever report data the enclave asks for, as the Gramine
    /// interface would on SGX hardware.
    struct TestQuoter: QuoteProvider {
        let platform: TestPlatform
        let mrEnclave: [UInt8]
        var debug = false
        var format: AttestationFormat { .sgxDCAP }
        func quote(reportData: [UInt8]) throws -> [UInt8] {
            try platform.sgxQuote(reportData: reportData, mrEnclave: mrEnclave, debug: debug)
        }
    }

    static let minerCode = [UInt8](repeating: 0x4d, count: 32)
    static let oracleCode = [UInt8](repeating: 0x0c, count: 32)
    let operatorKey = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))

    func genesis(pki: TestPKI, collateral: Collateral, now: UInt64) throws -> Genesis {
        let config: JSON = [
            "chainId": 7331,
            "ankr": [
                "consensus": "pouw", "blockTimeSeconds": 5, "minimumDifficulty": "0x30000",
                "attestation": [
                    "dcapRoot": .string(pki.rootPublicKey.hexPrefixed), "acceptedStatuses": ["UpToDate"], "registrationPeriod": 3600,
                    "miner": ["measurements": [.string(Self.minerCode.hexPrefixed)]],
                    "oracle": ["measurements": [.string(Self.oracleCode.hexPrefixed)]],
                    "collateral": [try JSON(parsing: TestPKI.json(of: collateral))],
                ],
            ],
        ]
        let document: JSON = ["config": config, "difficulty": "0x30000", "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00",
                              "timestamp": .string("0x" + String(now, radix: 16)),
                              "alloc": [.init(operatorKey.address.checksummed): ["balance": "0xde0b6b3a7640000"]]]
        return try Genesis(json: Data(document.serialized()))
    }

    func mine(_ chain: Blockchain, _ txs: [Transaction] = []) throws -> Block {
        let built = try chain.produceBlock(candidates: try txs.map { ($0, try $0.recoverSender()) }, coinbase: .zero,
                                           timestamp: chain.head.timestamp + 1)
        XCTAssertEqual(built.block.transactions.count, txs.count, "every registration was included")
        let sealed = try chain.sealer.seal(built.block, chain: chain, stop: { false })
        try chain.importBlock(built, sealed: sealed)
        return sealed
    }

    func transaction(to: Address, _ signature: String, _ args: [ABIValue], value: UInt256 = .zero, nonce: UInt64) throws -> Transaction {
        try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(100_000_000_000),
                                   gasLimit: 2_000_000, to: to, value: value, data: try ABI.encodeCall(signature, args)).signed(with: operatorKey)
    }

    func registration(_ enclave: Enclave, role: EnclaveRole, nonce: UInt64) throws -> Transaction {
        let binding = EnclaveRegistry.registrationBinding(chainID: 7331, registrant: operatorKey.address, role: role)
        let call = try ABI.encodeCall("register(bytes,uint8)", [.bytes(try enclave.attest(userData: binding).encoded), .uint(UInt256(UInt64(role.rawValue)))])
        return try Transaction.dynamicFee(chainID: 7331, nonce: nonce, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(100_000_000_000),
                                          gasLimit: 2_000_000, to: EnclaveRegistry.address, value: .zero, data: call).signed(with: operatorKey)
    }

    func testADCAPChainMinesRegistersAnswersOracleRequestsAndRefusesDebugEnclaves() throws {
        let now = UInt64(Date().timeIntervalSince1970) - 60
        let pki = try TestPKI(seed: 19)
        let platform = try pki.platform()
        let collateral = try pki.collateral(for: platform, issueDate: now - 86_400, nextUpdate: now + 30 * 86_400)
        let spec = try ChainSpec(genesis: try genesis(pki: pki, collateral: collateral, now: now))
        let pouw = try XCTUnwrap(spec.pouw)
        XCTAssertEqual(pouw.genesisCollateral.count, 1)

        let minerEnclave = try DCAPEnclave(provider: TestQuoter(platform: platform, mrEnclave: Self.minerCode), key: .random())
        let mining = try Blockchain(database: ChainDatabase(), genesis: spec.genesis,
                                    sealer: try AnkrConsensus.sealer(pouw: pouw, miner: .init(enclave: minerEnclave)),
                                    systemContracts: spec.systemContracts)
        let validator = try Blockchain(database: ChainDatabase(), genesis: spec.genesis, sealer: try AnkrConsensus.sealer(pouw: pouw, miner: nil),
                                       systemContracts: spec.systemContracts)

        // Block 1: nobody has posted collateral, so the quote in the seal verifies with genesis's.
        var blocks = [try mine(mining)]
        let first = try PoUWSeal(encoded: blocks[0].header.seal)
        XCTAssertEqual(first.evidence?.format, .sgxDCAP)
        XCTAssertEqual(first.platformID, Keccak256.h256(platform.ppid), "DCAP platforms are counted by PPID")

        // The miner and an oracle register with quotes; the miner's later seals carry no evidence.
        let oracleEnclave = try DCAPEnclave(provider: TestQuoter(platform: platform, mrEnclave: Self.oracleCode), key: .random())
        blocks.append(try mine(mining, [try registration(minerEnclave, role: .miner, nonce: 0), try registration(oracleEnclave, role: .oracle, nonce: 1)]))
        let state = mining.state(at: mining.head)
        let miner = try XCTUnwrap(EnclaveRegistry.registration(of: minerEnclave.publicKey.address, role: .miner, state: state, time: mining.head.timestamp))
        XCTAssertEqual(miner.format, .sgxDCAP)
        XCTAssertEqual(miner.tcbStatus, .upToDate)
        XCTAssertNotNil(EnclaveRegistry.registration(of: oracleEnclave.publicKey.address, role: .oracle, state: state, time: mining.head.timestamp))
        XCTAssertNil(EnclaveRegistry.registration(of: oracleEnclave.publicKey.address, role: .miner, state: state, time: mining.head.timestamp),
                     "the oracle's code is not a miner's")
        blocks.append(try mine(mining))
        XCTAssertNil(try PoUWSeal(encoded: blocks[2].header.seal).evidence)
        for block in blocks { try validator.importBlock(block) }
        XCTAssertEqual(validator.head.hash, mining.head.hash)

        // The DCAP oracle answers a request: published with NOS, its signed datagram is accepted and the request settles.
        let params = Array(#"{"url":"https://127.0.0.1/price","path":"/usd"}"#.utf8)
        var receipts = [Receipt]()
        for tx in [try transaction(to: NOSContract.address, "registerOracle(address)", [.address(oracleEnclave.publicKey.address)], nonce: 2),
                   try transaction(to: NOSContract.address, "request(uint8,bytes,address,bytes4)",
                                   [.uint(.one), .bytes(params), .address(.zero), .fixedBytes([0, 0, 0, 0])],
                                   value: UInt256(10_000_000_000_000_000), nonce: 3)] {
            let block = try mine(mining, [tx])
            receipts += try XCTUnwrap(mining.receipts(blockHash: block.hash))
        }
        let datagram = OracleDatagram(chainID: 7331, contract: NOSContract.address, requestID: .one, paramsHash: Keccak256.h256(params),
                                      error: 0, data: Array("4242".utf8))
        let delivery = try transaction(to: NOSContract.address, "deliver(uint256,bytes32,uint64,bytes,bytes)",
                                       [.uint(.one), .fixedBytes(Keccak256.hash(params)), .uint(.zero), .bytes(Array("4242".utf8)),
                                        .bytes(try datagram.sign(with: oracleEnclave))], nonce: 4)
        let delivered = try mine(mining, [delivery])
        receipts += try XCTUnwrap(mining.receipts(blockHash: delivered.hash))
        XCTAssertEqual(receipts.map(\.succeeded), [true, true, true], "published, requested and answered by the DCAP oracle")
        XCTAssertFalse(receipts[2].logs.isEmpty, "the delivery is logged")

        // A debug enclave on the same platform is refused when it tries to mine: its own evidence fails the policy.
        let debugEnclave = try DCAPEnclave(provider: TestQuoter(platform: platform, mrEnclave: Self.minerCode, debug: true), key: .random())
        let debugMiner = try Blockchain(database: ChainDatabase(), genesis: spec.genesis,
                                        sealer: try AnkrConsensus.sealer(pouw: pouw, miner: .init(enclave: debugEnclave)),
                                        systemContracts: spec.systemContracts)
        XCTAssertThrowsError(try mine(debugMiner)) { XCTAssertEqual($0 as? PoUWSealError, .attestation(.debugNotAllowed)) }
    }
}
