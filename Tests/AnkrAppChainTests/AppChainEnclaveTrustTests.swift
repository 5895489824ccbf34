import AnkrAppChain
import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrEnclaveRegistry
import AnkrPrimitives
import XCTest

/// An application chain trusts the oracle enclaves the main chain's registry holds, through messages only: the root
/// announces a registration as the registry, the mirror on the child chain keeps it, and nothing else — a stranger's
/// message, a replay, an older announcement — changes what it trusts.
final class AppChainEnclaveTrustTests: XCTestCase {
    let enclave = try! PrivateKey(hex: "0x" + String(repeating: "e7", count: 32))
    let registrant = try! PrivateKey(hex: "0x" + String(repeating: "7e", count: 32))

    /// A registration as the main chain's registry would hold it after verifying the enclave's evidence.
    func register(_ f: AppChainFixture, until expiresAt: UInt64) throws -> EnclaveRegistration {
        let r = EnclaveRegistration(enclave: enclave.address, key: enclave.publicKey.compressed, role: .oracle, registrant: registrant.address,
                                    format: .simulated, measurement: Keccak256.h256([1]), signer: Keccak256.h256([2]), platformID: Keccak256.h256([3]),
                                    tcbStatus: nil, registeredAt: f.now, expiresAt: expiresAt)
        var s = SystemStorage(state: f.main, address: EnclaveRegistry.address, gasLimit: .max)
        try EnclaveRegistry.storeAnnounced(r, &s)
        return r
    }

    /// Announces the enclave on the root, delivers the message on the child chain; returns its index and data.
    func announce(_ f: AppChainFixture) throws -> (UInt64, [UInt8]) {
        let result = try f.send(f.challenger, f.root, "announceEnclave(address,uint8)", [.address(enclave.address), .uint(.one)])
        let log = try XCTUnwrap(result.logs.first)
        let index = try XCTUnwrap(UInt256(bigEndian: log.topics[1].bytes)?.uint64)
        XCTAssertEqual(Array(log.topics[2].bytes.suffix(20)), EnclaveRegistry.address.bytes, "sent as the registry")
        let data = try XCTUnwrap(ABI.decode([.uint(bits: 256), .bytes], from: log.data)[1].bytesValue)
        let message = AppChainMessage(sender: EnclaveRegistry.address, target: EnclaveRegistry.address, value: .zero, data: data)
        try f.commitAndImport(try f.build([(try f.relay(index, [message]), f.op.address)]))
        return (index, data)
    }

    /// `acceptEnclave(index, data)` sent by the first user on the child chain; whether it succeeded.
    func accept(_ f: AppChainFixture, _ index: UInt64, _ data: [UInt8]) throws -> Bool {
        let (tx, from) = try f.tx(f.users[0], to: EnclaveRegistry.address,
                                  data: try ABI.encodeCall("acceptEnclave(uint256,bytes)", [.uint(UInt256(index)), .bytes(data)]), gas: 600_000)
        let block = try f.build([(tx, from)])
        try f.commitAndImport(block)
        return try XCTUnwrap(f.child.receipts(blockHash: block.hash)?.first).succeeded
    }

    func live(_ f: AppChainFixture) -> EnclaveRegistration? {
        EnclaveRegistry.registration(of: enclave.address, role: .oracle, state: f.child.state(at: f.child.head), time: f.child.head.timestamp)
    }

    func testTheChildChainTrustsExactlyWhatTheMainChainsRegistryAnnounces() throws {
        let f = try AppChainFixture(users: 4)
        try f.bootstrap()
        let registered = try register(f, until: f.now + 86_400)
        XCTAssertNil(live(f), "nothing is trusted before an announcement")

        // A stranger's message posing as an announcement is delivered like any message, but the mirror refuses it.
        let forged = EnclaveAnnouncement(enclave: enclave.address, role: .oracle, registration: registered).encoded
        try f.send(f.challenger, f.root, "sendMessage(address,bytes)", [.address(EnclaveRegistry.address), .bytes(forged)])
        let strangerIndex = UInt64(f.users.count)
        let stranger = AppChainMessage(sender: f.challenger.address, target: EnclaveRegistry.address, value: .zero, data: forged)
        try f.commitAndImport(try f.build([(try f.relay(strangerIndex, [stranger]), f.op.address)]))
        XCTAssertFalse(try accept(f, strangerIndex, forged))
        XCTAssertNil(live(f))

        let (index, data) = try announce(f)
        XCTAssertTrue(try accept(f, index, data))
        let trusted = try XCTUnwrap(live(f))
        XCTAssertEqual(trusted, registered, "the child chain holds the main chain's registration as it was")
        XCTAssertFalse(try accept(f, index, data), "once")

        // Revoked on the main chain (here: expired), announced again: no longer trusted on the child chain either.
        f.now += 86_400
        let (gone, goneData) = try announce(f)
        XCTAssertEqual(EnclaveAnnouncement(encoded: goneData)?.registration, nil)
        // Registered again and announced, but the announcements are consumed out of order: the newest wins.
        let renewed = try register(f, until: f.now + 86_400)
        let (again, againData) = try announce(f)
        XCTAssertTrue(try accept(f, again, againData))
        XCTAssertEqual(live(f), renewed)
        XCTAssertFalse(try accept(f, gone, goneData), "an older announcement never overrides a newer one")
        XCTAssertEqual(live(f), renewed)
    }
}
