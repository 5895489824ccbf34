import AnkrChain
import AnkrCrypto
import AnkrEthAPI
import AnkrPrimitives
import AnkrRPC
import AnkrStorage
import AnkrTestSupport
import Foundation
import XCTest

/// Issue 17: an unauthenticated `eth_call` whose `bytes[]` offsets all name one blob made the node copy
/// the blob once per offset (125 MiB from 128 KiB here, quadratic in the body). The call must be
/// answered with an error, without the memory, and the server must keep answering.
final class EthCallAmplificationTests: XCTestCase {
    /// A system contract with Identity's `attestSealed` signature; it decodes its arguments the way
    /// every system contract does (``ContractInterface/decode(_:gasUsed:)``) and returns the payload count.
    private struct SealedAttestations: SystemContract {
        let address = try! Address(hex: "0x00000000000000000000000000000000000afffe")
        let name = "SealedAttestations"
        let interface = ContractInterface(
            functions: [.init("attestSealed", [.init("subject", .address), .init("claimType", .uint(bits: 256)),
                                               .init("claimHash", .fixedBytes(32)), .init("expiry", .uint(bits: 64)),
                                               .init("readers", .array(.address)), .init("payloads", .array(.bytes))],
                              returns: [.init("count", .uint(bits: 256))])],
            events: [])

        func call(_ call: SystemCall, state: WorldState) throws -> SystemCallResult {
            let (_, arguments) = try interface.decode(call, gasUsed: 5_000)
            let payloads = arguments[5].arrayValue ?? []
            return SystemCallResult(output: UInt256(UInt64(payloads.count)).bigEndianBytes, gasUsed: 5_000)
        }
    }

    private let contract = SealedAttestations()
    private var table = RPCMethodTable()

    override func setUpWithError() throws {
        let chain = try Blockchain(database: ChainDatabase(), genesis: Genesis(chainID: 7331, alloc: [:]),
                                   systemContracts: SystemContractRegistry([contract]))
        table = RPCMethodTable()
        EthNamespace(backend: ChainBackend(chain)).register(in: table)
    }

    private func rpc(_ method: String, _ params: String) throws -> JSON {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        return try JSON(parsing: XCTUnwrap(table.handle(body: Data(body.utf8))))
    }

    private func word(_ v: Int) -> [UInt8] { UInt256(UInt64(v)).bigEndianBytes }

    /// `attestSealed` calldata whose `payloads` holds `count` offsets that all name one `blob`-byte payload.
    private func aliasedAttestation(count: Int, blob: Int) throws -> [UInt8] {
        var args = word(0) + word(1) + word(0) + word(0) + word(6 * 32) + word(7 * 32) + word(0)
        args += word(count)
        for _ in 0..<count { args += word(count * 32) }
        args += word(blob) + [UInt8](repeating: 0xab, count: blob)
        return try ABI.selector("attestSealed(address,uint256,bytes32,uint64,address[],bytes[])") + args
    }

    /// Restarts the peak (Linux resets VmHWM on "5" to clear_refs), so earlier tests' peaks cannot hide
    /// this one's; where that is not allowed, growth above the earlier peak is still measured.
    private func resetPeakResident() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// The process's peak resident memory (VmHWM), in bytes.
    private func peakResidentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        let kib = try XCTUnwrap(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kib * 1024
    }

    func testAliasedBytesArrayCallIsAnsweredWithAnErrorInBoundedMemoryAndTheServerKeepsServing() throws {
        // A well-formed call with distinct payloads is answered, so the error below is about the layout.
        let honest = try ABI.encodeCall("attestSealed(address,uint256,bytes32,uint64,address[],bytes[])",
                                        [.address(.zero), .uint(.one), .fixedBytes([UInt8](repeating: 0, count: 32)), .uint(.zero),
                                         .array([]), .array([.bytes([1]), .bytes([2, 3])])])
        XCTAssertEqual(try rpc("eth_call", #"[{"to":"\#(contract.address)","data":"\#(honest.hexPrefixed)"},"latest"]"#)["result"]?.string,
                       word(2).hexPrefixed)

        // 2,000 offsets to one 64 KiB payload: 128 KiB of calldata that decoded into 125 MiB.
        let data = try aliasedAttestation(count: 2_000, blob: 65_536)
        resetPeakResident()
        let peakBefore = try peakResidentBytes()
        let started = Date()
        let answer = try rpc("eth_call", #"[{"to":"\#(contract.address)","data":"\#(data.hexPrefixed)"},"latest"]"#)
        let seconds = Date().timeIntervalSince(started)
        let grown = try peakResidentBytes() - peakBefore

        let error = try XCTUnwrap(answer["error"], "the call must fail: \(answer)")
        let message = try XCTUnwrap(error["message"]?.string)
        XCTAssertTrue(message.contains("points into bytes already used"), message)
        XCTAssertNil(answer["result"])
        // Parsing a 256 KiB hex body costs a few MiB; the copies cost 125 MiB.
        XCTAssertLessThan(grown, 32 << 20, "peak memory grew by \(grown >> 20) MiB")
        XCTAssertLessThan(seconds, 5)

        XCTAssertEqual(try rpc("eth_blockNumber", "[]")["result"]?.string, "0x0")
    }
}
