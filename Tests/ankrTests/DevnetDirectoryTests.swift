import Foundation
import XCTest

@testable import ankr

/// `ankr devnet`'s directory: fresh or resumed, and `--fresh` deleting the old network and nothing else.
final class DevnetDirectoryTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-devnet-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func write(_ text: String, to name: String) throws {
        let url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Node `i` set up the way `ankr init` does, from a dev-sealing devnet genesis.
    private func initializeNode(_ i: Int) throws {
        try write(DevnetCommand.genesisJSON(blockTime: 1, attestationRoot: nil), to: "genesis.json")
        let command = try InitCommand.parse(["--genesis", root.appendingPathComponent("genesis.json").path,
                                             "--datadir", root.appendingPathComponent("node\(i)").path])
        try command.run()
    }

    func testNodeDirectoriesAreNodeAndADecimalIndex() {
        for name in ["node0", "node7", "node31", "node0123"] { XCTAssertTrue(DevnetDirectory.isNodeDirectory(name), name) }
        for name in ["node", "nodes", "node-1", "node1a", "node 1", "Node1", "xnode1", "node\u{0661}", "node\u{00B2}", ""] {
            XCTAssertFalse(DevnetDirectory.isNodeDirectory(name), name)
        }
    }

    func testAnEmptyOrMissingDirectoryHoldsNoNetwork() throws {
        XCTAssertNil(try DevnetDirectory(root: root).genesis())
        XCTAssertEqual(try DevnetDirectory(root: root).height(), 0)
        XCTAssertNil(try DevnetDirectory(root: root.appendingPathComponent("absent")).genesis())
    }

    func testAGenesisWithoutANodeIsNotANetworkAndIsWrittenAfresh() throws {
        try write("left by a run stopped before its nodes were set up", to: "genesis.json")
        XCTAssertNil(try DevnetDirectory(root: root).genesis())
        let network = try DevnetNetwork.open(in: DevnetDirectory(root: root), pouw: false, nodes: 1, period: 3, duty: 1)
        XCTAssertNil(network.resumedHeight)
        XCTAssertEqual(FileManager.default.contents(atPath: root.appendingPathComponent("genesis.json").path), network.genesis)
    }

    func testAnInitializedNodeIsResumedWithItsOwnGenesisAtItsHeight() throws {
        try initializeNode(0)
        let genesis = try XCTUnwrap(FileManager.default.contents(atPath: root.appendingPathComponent("node0/genesis.json").path))
        // The devnet's own copy is not the authority: the nodes' chain is.
        try write("{}", to: "genesis.json")
        let network = try DevnetNetwork.open(in: DevnetDirectory(root: root), pouw: false, nodes: 3, period: 2, duty: 1)
        XCTAssertEqual(network.resumedHeight, 0)
        XCTAssertEqual(network.genesis, genesis)
        XCTAssertNil(network.calibration)
        XCTAssertNil(network.rootKey)
        XCTAssertEqual(network.blockTime, 2)
    }

    func testResumingANetworkSealedAnotherWayIsRefusedByName() throws {
        try initializeNode(0)
        XCTAssertThrowsError(try DevnetNetwork.open(in: DevnetDirectory(root: root), pouw: true, nodes: 1, period: 1, duty: 1)) { error in
            guard case DevnetError.consensusMismatch(_, let holds, let requested) = error else { return XCTFail("\(error)") }
            XCTAssertEqual([holds, requested], ["dev", "pouw"])
            XCTAssertTrue("\(error)".contains("--fresh"), "\(error)")
        }
    }

    func testAMangledNodeGenesisIsATypedErrorNamingTheFile() throws {
        try initializeNode(0)
        let file = root.appendingPathComponent("node0/genesis.json")
        let good = try Data(contentsOf: file)
        for bad in [good.prefix(good.count / 2), Data(good.map { $0 == UInt8(ascii: "{") ? UInt8(ascii: "[") : $0 }), Data(), Data(repeating: 0xFF, count: 64)] {
            try bad.write(to: file)
            XCTAssertThrowsError(try DevnetNetwork.open(in: DevnetDirectory(root: root), pouw: false, nodes: 1, period: 1, duty: 1)) { error in
                guard case DevnetError.unreadableGenesis(let path, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(path, file.path)
            }
        }
    }

    func testAMangledChainDatabaseIsATypedErrorNamingTheNode() throws {
        try initializeNode(0)
        for name in ["chaindata.sqlite-wal", "chaindata.sqlite-shm"] { try? FileManager.default.removeItem(at: root.appendingPathComponent("node0/\(name)")) }
        try Data(repeating: 0x5A, count: 4096).write(to: root.appendingPathComponent("node0/chaindata.sqlite"))
        XCTAssertThrowsError(try DevnetDirectory(root: root).height()) { error in
            guard case DevnetError.unreadableChain(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, root.appendingPathComponent("node0").path)
        }
    }

    func testFreshDeletesEveryEntryTheDevnetWrites() throws {
        try initializeNode(0)
        try initializeNode(1)
        for name in ["www/btc-usd.json", "https/cert.pem", "oracle/relay.log", "operator/operator.log", "node2/node.log"] { try write("x", to: name) }
        try DevnetDirectory(root: root).removeNetwork()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [])
        XCTAssertNil(try DevnetDirectory(root: root).genesis())
    }

    func testFreshRefusesADirectoryHoldingAnythingElseAndDeletesNothing() throws {
        try initializeNode(0)
        for foreign in ["chaindata.sqlite", "keystore", "notes.txt", ".hidden", "node"] {
            try write("mine", to: foreign)
            XCTAssertThrowsError(try DevnetDirectory(root: root).removeNetwork(), foreign) { error in
                guard case DevnetError.foreignEntry(_, let entry) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(entry, foreign)
            }
            XCTAssertTrue(DevnetDirectory(root: root).node(0).isInitialized)
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("genesis.json").path))
            try FileManager.default.removeItem(at: root.appendingPathComponent(foreign))
        }
    }

    func testFreshRefusesDevnetNamesInADirectoryTheDevnetDidNotWrite() throws {
        // A web root (`/srv` holding only `www`) and a geth-style private network (`genesis.json`, `node1/` of another
        // chain id): the entry names are the devnet's, the directory is not.
        try write("<html>", to: "www/index.html")
        XCTAssertThrowsError(try DevnetDirectory(root: root).removeNetwork()) { error in
            guard case DevnetError.notADevnet = error else { return XCTFail("\(error)") }
        }
        try write(#"{"config":{"chainId":12345},"alloc":{}}"#, to: "genesis.json")
        try write("keystore", to: "node1/keystore/UTC--key")
        XCTAssertThrowsError(try DevnetDirectory(root: root).removeNetwork()) { error in
            guard case DevnetError.notADevnet = error else { return XCTFail("\(error)") }
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("node1/keystore/UTC--key").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("www/index.html").path))
        // With the marker a fresh devnet writes first, the same names are the devnet's to delete.
        try DevnetDirectory(root: root).writeMarker()
        try DevnetDirectory(root: root).removeNetwork()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [])
    }
}
