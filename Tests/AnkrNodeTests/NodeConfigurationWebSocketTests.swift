import AnkrChain
import AnkrNode
import Foundation
import XCTest

/// `--ws.origins` / `[http] wsorigins`: unset follows the CORS list; the dump reads back.
final class NodeConfigurationWebSocketTests: XCTestCase {
    func testWebSocketOriginsDefaultToCORSAndCanBeSetByFileOrFlag() throws {
        var config = NodeConfiguration()
        config.datadir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-ws-\(UUID().uuidString)").path
        config.corsDomains = ["https://app.example"]
        XCTAssertNil(try config.nodeConfiguration(genesis: DevGenesis.genesis).rpc.webSocketOrigins)

        try config.apply(toml: "[http]\nwsorigins = [\"https://wallet.example\"]\n", source: "test.toml")
        XCTAssertEqual(config.wsOrigins, ["https://wallet.example"])
        var overrides = NodeConfiguration.Overrides()
        overrides.wsOrigins = ["*"]
        try config.apply(overrides)
        XCTAssertEqual(try config.nodeConfiguration(genesis: DevGenesis.genesis).rpc.webSocketOrigins, ["*"])

        var readBack = NodeConfiguration()
        try readBack.apply(toml: config.toml, source: "dump")
        XCTAssertEqual(readBack.wsOrigins, ["*"])
        var unset = NodeConfiguration()
        try unset.apply(toml: NodeConfiguration().toml, source: "dump")
        XCTAssertNil(unset.wsOrigins)
    }
}
