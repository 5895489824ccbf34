import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import Foundation
import XCTest

/// Issue 17: what a stranger with the RPC port can make the node do. EVM calls stop at a wall-clock
/// limit (one limit for a whole estimate), heavy calls beyond a cap are refused at once while cheap
/// calls keep flowing, `ankr_addPeer` needs the admin API, and unprotected transactions are refused.
final class RPCLimitsTests: XCTestCase {
    let alice = try! PrivateKey(hex: "0x" + String(repeating: "a1", count: 32))
    /// `JUMPDEST PUSH1 0 JUMP`: loops until the gas ends.
    let spinner = try! Address(hex: "0x000000000000000000000000000000000000c0de")
    /// Needs 2^30 gas available, then loops as many times as its calldata word says, using 26 gas a turn.
    let picky = try! Address(hex: "0x000000000000000000000000000000000000c0df")
    /// A block gas limit so large that the spinner runs for minutes before its gas ends.
    let gasLimit: UInt64 = 1 << 36

    func chain() throws -> Blockchain {
        let pickyCode: [UInt8] = [0x5a, 0x63, 0x40, 0x00, 0x00, 0x00, 0x11, 0x60, 0x17, 0x57, 0x60, 0x00, 0x35,
                                  0x5b, 0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x0d, 0x57, 0x00,
                                  0x5b, 0x60, 0x00, 0x80, 0xfd]
        return try Blockchain(database: ChainDatabase(),
                              genesis: Genesis(chainID: 7331, gasLimit: gasLimit,
                                               alloc: [alice.address: .init(balance: UInt256(1_000_000_000_000_000_000)),
                                                       spinner: .init(balance: .zero, code: [0x5b, 0x60, 0x00, 0x56]),
                                                       picky: .init(balance: .zero, code: pickyCode)]))
    }

    func table(_ chain: Blockchain, _ change: (inout RPCLimits) -> Void = { _ in }) -> RPCMethodTable {
        var limits = RPCLimits()
        change(&limits)
        let t = RPCMethodTable(limits: limits)
        EthNamespace(backend: ChainBackend(chain), limits: limits).register(in: t)
        AnkrNamespace(backend: ChainBackend(chain)).register(in: t)
        return t
    }

    func rpc(_ t: RPCMethodTable, _ method: String, _ params: String) throws -> JSON {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        return try JSON(parsing: XCTUnwrap(t.handle(body: Data(body.utf8))))
    }

    func error(_ t: RPCMethodTable, _ method: String, _ params: String) throws -> (code: Int, message: String) {
        let e = try XCTUnwrap(try rpc(t, method, params)["error"], "\(method) \(params) should fail")
        return (Int(try XCTUnwrap(e["code"]?.int)), try XCTUnwrap(e["message"]?.string))
    }

    func word(_ v: UInt64) -> String { UInt256(v).bigEndianBytes.hexPrefixed }

    func testCallsPastTheTimeLimitAreAbortedWithGethsMessage() throws {
        let t = table(try chain()) { $0.evmTimeout = .milliseconds(200) }
        for method in ["eth_call", "eth_estimateGas"] {
            let started = ContinuousClock.now
            let e = try error(t, method, #"[{"to":"\#(spinner)"}]"#)
            let took = ContinuousClock.now - started
            XCTAssertEqual(e.code, -32000)
            XCTAssertEqual(e.message, "execution aborted (timeout = 200ms)")
            // Without the limit the spinner runs its 2^36 gas: minutes.
            XCTAssertLessThan(took, .seconds(2), "\(method) took \(took)")
        }
        XCTAssertEqual(RPCLimits.describe(.seconds(5)), "5s")
        XCTAssertEqual(RPCLimits.describe(.milliseconds(1_500)), "1.5s")
    }

    func testEveryRunOfAnEstimateSharesOneDeadline() throws {
        let c = try chain()
        let unlimited = table(c) { $0.evmTimeout = nil }
        func timedCall(_ turns: UInt64) throws -> Duration {
            let started = ContinuousClock.now
            XCTAssertEqual(try rpc(unlimited, "eth_call", #"[{"to":"\#(picky)","data":"\#(word(turns))"}]"#)["result"]?.string, "0x")
            return ContinuousClock.now - started
        }
        // Enough turns for one run to take about 80 ms on this machine.
        let probe = try timedCall(20_000)
        let turns = min(max(20_000, UInt64(20_000 * (0.08 / max(probe / .seconds(1), 0.000_1)))), 10_000_000)
        let oneRun = try timedCall(turns)
        // The estimate bisects towards 2^30 from 2^36: about half of its ~36 runs loop. Each run alone is
        // well inside four times one run; together they are not.
        let limit = oneRun * 4
        let t = table(c) { $0.evmTimeout = limit }
        let started = ContinuousClock.now
        let e = try error(t, "eth_estimateGas", #"[{"to":"\#(picky)","data":"\#(word(turns))"}]"#)
        XCTAssertTrue(e.message.hasPrefix("execution aborted (timeout = "), e.message)
        XCTAssertLessThan(ContinuousClock.now - started, limit + oneRun * 2)
        // The same call alone fits the limit.
        XCTAssertEqual(try rpc(t, "eth_call", #"[{"to":"\#(picky)","data":"\#(word(turns))"}]"#)["result"]?.string, "0x")
    }

    func testHeavyCallsBeyondTheCapAreRefusedAtOnceAndCheapCallsStillFlow() throws {
        let t = table(try chain()) {
            $0.evmTimeout = .seconds(1)
            $0.maxConcurrentHeavyCalls = 2
        }
        var config = RPCServer.Configuration()
        config.port = 0
        let server = try RPCServer(configuration: config, table: t)
        defer { server.shutdown() }
        let client = RPCClient(url: URL(string: "http://127.0.0.1:\(server.port)")!, timeout: 10)

        final class Answers: @unchecked Sendable {
            let lock = NSLock()
            var codes: [Int] = []
            var messages: [String] = []
        }
        let answers = Answers()
        let group = DispatchGroup()
        let spinner = self.spinner.description
        let started = ContinuousClock.now
        for _ in 0..<6 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    _ = try client.call("eth_call", [["to": .string(spinner)]])
                    answers.lock.withLock { answers.codes.append(0) }
                } catch RPCClientError.rpc(let e) {
                    answers.lock.withLock { answers.codes.append(e.code); answers.messages.append(e.message) }
                } catch {
                    answers.lock.withLock { answers.codes.append(-1); answers.messages.append("\(error)") }
                }
            }.start()
        }
        // While two calls spin, a cheap call is answered at once: threads are kept for it.
        Thread.sleep(forTimeInterval: 0.3)
        let cheapStarted = ContinuousClock.now
        XCTAssertEqual(try client.string("eth_blockNumber", []), "0x0")
        XCTAssertLessThan(ContinuousClock.now - cheapStarted, .milliseconds(500))
        XCTAssertEqual(group.wait(timeout: .now() + 20), .success)
        let took = ContinuousClock.now - started

        let codes = answers.lock.withLock { answers.codes }
        XCTAssertEqual(codes.filter { $0 == -32000 }.count, 2, "two ran to the deadline: \(answers.messages)")
        XCTAssertEqual(codes.filter { $0 == -32005 }.count, 4, "four were refused as busy: \(answers.messages)")
        XCTAssertTrue(answers.messages.contains { $0.hasPrefix("server busy: 2 expensive calls") }, "\(answers.messages)")
        XCTAssertLessThan(took, .seconds(3), "the refused ones did not queue behind the spinning ones")
        XCTAssertEqual(t.heavyCalls.count, 0, "every place is given back")
    }

    func testAddPeerNeedsTheAdminAPIAndOtherNamespacesCanBeTurnedOff() throws {
        let c = try chain()
        let standard = table(c)
        let refused = try error(standard, "ankr_addPeer", #"["127.0.0.1:30334"]"#)
        XCTAssertEqual(refused.code, -32601)
        XCTAssertEqual(refused.message, "the method ankr_addPeer does not exist/is not available: the admin API is not enabled (--http.api)")
        XCTAssertNotNil(try rpc(standard, "ankr_nodeInfo", "[]")["result"])

        // With admin enabled the call reaches the method (this backend runs without P2P).
        let admin = table(c) { $0.apis.insert("admin") }
        XCTAssertEqual(try error(admin, "ankr_addPeer", #"["127.0.0.1:30334"]"#).message, "this node runs without P2P (--no-p2p)")

        let ethOnly = table(c) { $0.apis = ["eth"] }
        XCTAssertEqual(try rpc(ethOnly, "eth_chainId", "[]")["result"]?.string, "0x1ca3")
        XCTAssertEqual(try error(ethOnly, "ankr_nodeInfo", "[]").code, -32601)
        XCTAssertEqual(try error(ethOnly, "web3_clientVersion", "[]").code, -32601)
    }

    func testUnprotectedLegacyTransactionsAreRefusedUnlessAllowed() throws {
        let c = try chain()
        let bob = try Address(hex: "0x3535353535353535353535353535353535353535")
        let unprotected = try Transaction.legacy(chainID: nil, nonce: 0, gasPrice: UInt256(10_000_000_000), gasLimit: 21_000,
                                                 to: bob, value: .one).signed(with: alice)
        let protected = try Transaction.legacy(chainID: 7331, nonce: 0, gasPrice: UInt256(10_000_000_000), gasLimit: 21_000,
                                               to: bob, value: .one).signed(with: alice)
        XCTAssertTrue([UInt256(27), UInt256(28)].contains(unprotected.v), "v is 27 or 28: no chain id")

        let standard = table(c)
        let e = try error(standard, "eth_sendRawTransaction", #"["\#(unprotected.encoded.hexPrefixed)"]"#)
        XCTAssertEqual(e.code, -32000)
        XCTAssertEqual(e.message, "only replay-protected (EIP-155) transactions allowed over RPC")
        XCTAssertEqual(try rpc(standard, "eth_sendRawTransaction", #"["\#(protected.encoded.hexPrefixed)"]"#)["result"]?.string,
                       protected.hash.description)

        let allowing = table(c) { $0.allowUnprotectedTransactions = true }
        XCTAssertEqual(try rpc(allowing, "eth_sendRawTransaction", #"["\#(unprotected.encoded.hexPrefixed)"]"#)["result"]?.string,
                       unprotected.hash.description)
    }
}
