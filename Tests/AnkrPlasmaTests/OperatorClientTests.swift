import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import Foundation
import XCTest

/// A wallet's or watcher's client of an operator, which is a stranger: a place in its answers that
/// no output can have is refused with the reason, never converted (Int(_:) traps past Int.max, and
/// blknum·10^9 past 2^64).
final class OperatorClientTests: XCTestCase {
    func testPlacesNoOutputCanHaveAreRefusedNotTrapped() throws {
        let table = RPCMethodTable()
        table.register("plasma_getTransaction") { _ in
            ["pending": false, "blockNumber": "0x3e8", "txIndex": "0x8000000000000000", "submitted": true] as [String: Any]
        }
        table.register("plasma_getSpend") { _ in ["blockNumber": "0xffffffffffffffff", "txIndex": "0x0"] as [String: Any] }
        var config = RPCServer.Configuration()
        config.port = 0
        let server = try RPCServer(configuration: config, table: table)
        defer { server.shutdown() }
        let client = OperatorClient(rpc: RPCClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)")), timeout: 10))
        XCTAssertThrowsError(try client.transaction(.zero)) { XCTAssertTrue("\($0)".contains("transaction index 9223372036854775808 is out of range"), "\($0)") }
        XCTAssertThrowsError(try client.spend(of: UTXOPosition.blockFactor)) { XCTAssertTrue("\($0)".contains("out of range"), "\($0)") }
    }
}
