import AnkrAppChain
import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrEnclave
import AnkrNode
import AnkrOracle
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation
import Logging

/// `ankr oracle`: the Native Oracle System from the command line — the relay with its enclave,
/// requests (public or private), their status, registration and the ABI.
struct OracleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oracle", abstract: "The Native Oracle System: run the relay, make requests, read answers.",
        subcommands: [Run.self, Request.self, Status.self, Cancel.self, Register.self, ABIJSON.self, Payment.self, Schedule.self, Unschedule.self, Feed.self])

    /// The relay's enclave: an `ankr-enclave` process on `--enclave.socket`, or a simulated one in this process with its key
    /// sealed in `<datadir>/oracle/enclave.key` and its platform certified by a development root.
    struct EnclaveOptions: ParsableArguments {
        @Option(name: .customLong("enclave.socket"), help: "Use the ankr-enclave process serving this Unix socket as the oracle enclave.")
        var enclaveSocket: String?
        @Option(name: .customLong("attestation-root-key"), help: "File with the development attestation root key that certifies the simulated platform.")
        var rootKeyFile: String?
        @Flag(help: "Use the public development attestation root of dev chains (`ankr node --dev`, `ankr devnet`).")
        var dev = false

        func enclave(datadir: String) throws -> Enclave {
            if let enclaveSocket { return try RemoteEnclave(socketPath: enclaveSocket) }
            let rootKey: PrivateKey
            if let rootKeyFile {
                rootKey = try DataDirectory.readKey(at: URL(fileURLWithPath: rootKeyFile))
            } else if dev {
                rootKey = DevGenesis.oracleAttestationRoot
            } else {
                throw CommandFailure("give --enclave.socket <path> (an ankr-enclave process), or --attestation-root-key <file> or --dev (a simulated enclave)")
            }
            let dir = DataDirectory(datadir).oracleDirectory
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let file = dir.appendingPathComponent("enclave.key")
            let key: PrivateKey
            if FileManager.default.fileExists(atPath: file.path) {
                key = try DataDirectory.readKey(at: file)
            } else {
                // Sealed storage, simulated: private requests sent to this key stay readable after a restart.
                key = PrivateKey.random()
                try DataDirectory.writeKey(key, to: file)
            }
            let platform = try SimulatedPlatform(id: Keccak256.h256(key.publicKey.compressed), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: rootKey))
            return SimulatedEnclave(name: DevGenesis.oracleEnclaveName, platform: platform, key: key)
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the relay and its oracle enclave: answer every NOS request, catching up after restarts.")

        @Option(name: .customLong("ca-file"), help: "A PEM file of extra root certificates to trust for data sources.") var caFile: String?
        @Option(help: "Seconds between rounds.") var interval = 0.5
        @Option(help: "Requests answered at once.") var concurrency = 32
        @Option(name: .customLong("fallback-blocks"),
                help: "Blocks a one-enclave request is left to the relay of the enclave NOS publishes (oracleKey) before this relay delivers it.")
        var fallbackBlocks: UInt64 = 5
        @Option(name: .customLong("fetch-timeout"), help: "Seconds per HTTPS attempt.") var fetchTimeout: Int64 = 5
        @Flag(name: .customLong("allow-private-destinations"),
              help: "Let requests reach loopback, private, link-local and other non-public addresses (tests and development sources only).")
        var allowPrivateDestinations = false
        @Option(help: "Pin a source host to an address, as curl's --resolve: `host:port:address` (repeatable; the address is still checked).")
        var resolve: [String] = []
        @Option(name: .customLong("appchain.parent"),
                help: "Serve the application chain at --rpc: the main chain's JSON-RPC URL, where the enclave is registered and announced to it.")
        var appchainParent: String?
        @Option(name: .customLong("appchain.id"), help: "That application chain's id in the main chain's registry.") var appchainID: UInt64?
        @OptionGroup var log: LogOptions
        @OptionGroup var enclaveOptions: EnclaveOptions
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let logger = log.bootstrap(label: "ankr.oracle.relay")
                var parent: URL?
                if let appchainParent {
                    guard let url = URL(string: appchainParent), url.scheme == "http" || url.scheme == "https" else {
                        throw CommandFailure("--appchain.parent must be an http(s) URL")
                    }
                    guard let appchainID, (1...AppChainRegistry.maxChains).contains(appchainID) else {
                        throw CommandFailure("--appchain.parent needs --appchain.id 1…\(AppChainRegistry.maxChains)")
                    }
                    parent = url
                }
                let source: HTTPSDataSource
                do {
                    source = try HTTPSDataSource(caFile: caFile, policy: DestinationPolicy(allowsPrivateDestinations: allowPrivateDestinations),
                                                 timeoutSeconds: fetchTimeout, pins: try Run.pins(resolve))
                } catch { throw CommandFailure("--ca-file: \(error)") }
                let transactor = try call.transactor()
                let chainID = try transactor.client.chainID()
                let enclave = try enclaveOptions.enclave(datadir: call.account.key.datadir)
                let relay = OracleRelay(oracle: OracleEnclave(enclave: enclave, chainID: chainID, source: source), transactor: transactor,
                                        concurrency: concurrency, fallbackBlocks: fallbackBlocks, logger: logger)
                // On an application chain the enclave is registered on the main chain and trusted there through its root's
                // announcement, which the chain's operator delivers: waited for here at most five minutes.
                let keepRegistered: @Sendable () throws -> Void
                if let parent, let appchainID {
                    let trust = AppChainEnclaveTrust(enclave: enclave, main: Transactor(rpc: RPCClient(url: parent), signer: transactor.signer),
                                                     child: transactor, root: AppChainRegistry.rootAddress(appchainID), logger: logger)
                    keepRegistered = { if try trust.round() { try relay.publishIfNeeded() } }
                    let deadline = Date().addingTimeInterval(300)
                    while true {
                        do { if try trust.round() { break } } catch { throw CommandFailure("cannot make the oracle enclave trusted on the application chain: \(error)") }
                        guard Date() < deadline else { throw CommandFailure("the application chain did not deliver the enclave's announcement within 5 minutes") }
                        Thread.sleep(forTimeInterval: 1)
                    }
                } else {
                    keepRegistered = { try relay.registerIfNeeded() }
                }
                do { try keepRegistered() } catch {
                    throw CommandFailure("cannot register the oracle enclave: \(error)")
                }
                print("oracle enclave \(enclave.publicKey.address.checksummed) relaying for \(transactor.signer.address.checksummed)")
                fflush(nil)
                let stop = StopFlag()
                let done = DispatchSemaphore(value: 0)
                // Rounds follow the node's new heads (WebSocket newHeads); without them, every --interval as before.
                let heads = ChainHeadWaiter(nodeURL: transactor.rpc.url)
                Task.detached {
                    var registrationChecked = Date()
                    var retries = RetryLog(logger: logger, what: "relay round")
                    while !stop.isSet {
                        // The registration expires: checked every few minutes and renewed at half its period.
                        if Date().timeIntervalSince(registrationChecked) >= Run.registrationCheckSeconds {
                            registrationChecked = Date()
                            do { try keepRegistered() } catch {
                                logger.warning("cannot renew the oracle enclave's registration; retrying", metadata: ["error": "\(error)"])
                            }
                        }
                        var idle = false
                        do {
                            let round = try await relay.tick()
                            for a in round.delivered {
                                print("{\"event\":\"delivered\",\"id\":\(a.id.description),\"error\":\(a.error.rawValue)}")
                            }
                            if !round.delivered.isEmpty { fflush(nil) }
                            idle = round.delivered.isEmpty && round.failed.isEmpty
                            retries.succeeded()
                        } catch {
                            retries.failed(error)
                        }
                        // Subscribed, an idle relay waits for the next head (requests arrive only in blocks), with a
                        // slow poll as a safety net; after work or a failure, the next round comes after --interval.
                        await heads.next(upTo: heads.isSubscribed && idle ? max(interval, Run.subscribedPollSeconds) : interval)
                    }
                    done.signal()
                }
                SignalWaiter.waitForTermination()
                stop.set()
                heads.stop()
                _ = done.wait(timeout: .now() + 10)
            }
        }

        /// `host:port:address` entries as "host:port" → address bytes (an IPv6 address may be bracketed).
        static func pins(_ entries: [String]) throws -> [String: [UInt8]] {
            var pins = [String: [UInt8]]()
            for entry in entries {
                let parts = entry.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                var address = parts.count == 3 ? String(parts[2]) : ""
                if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
                guard parts.count == 3, !parts[0].isEmpty, let port = UInt16(parts[1]), let bytes = DestinationPolicy.literal(address) else {
                    throw CommandFailure("--resolve \(entry): expected host:port:address, e.g. example.com:443:127.0.0.2")
                }
                pins["\(parts[0].lowercased()):\(port)"] = bytes
            }
            return pins
        }

        /// How often the relay checks its enclave's registration.
        static let registrationCheckSeconds: TimeInterval = 300
        /// The longest an idle relay following new heads waits between rounds.
        static let subscribedPollSeconds = 5.0
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask the oracle: one URL and JSON pointer, the median of several URLs, or fields of a whole JSON/XML document.")

        @Option(help: "Source URL (https); give several for a median.") var url: [String]
        @Option(help: "JSON pointer (or XML path with --format xml); repeat for --bulk.") var path: [String]
        @Option(help: "Scale numbers to this many decimals (255: the value as text).") var decimals: UInt8 = 0
        @Option(help: "Median: sources that must agree.") var quorum: UInt8?
        @Option(name: .customLong("max-deviation-bps"), help: "Median: how far (basis points) a source may be from the median.") var maxDeviationBps: UInt16 = 100
        @Flag(help: "Bulk: the document's hash and the values at every --path.") var bulk = false
        @Option(help: "Bulk: json or xml.") var format = "json"
        @Option(help: "The escrow: wei or with a unit (default: the least the cap and --enclaves need; the unspent part comes back).") var fee: Amount?
        @Option(name: .customLong("max-gas-price"), help: "The most you pay per gas of the delivery (default: twice the head's base fee); relays wait while the base fee is above it.")
        var maxGasPrice: Amount?
        @Option(help: "How many oracle enclaves on distinct platforms must answer (1…\(NOSContract.maxEnclaves)); numbers are their median, text what a majority gave.")
        var enclaves: UInt8 = 1
        @Flag(name: .customLong("private"), help: "Encrypt the params to the oracle enclave and the answer to you.") var isPrivate = false
        @Option(name: .customLong("header"), help: "Private: a request header for the source, `Name: value` (repeatable; sealed to the enclave).")
        var headers: [String] = []
        @Option(help: "Private: a request body for the source (sent as a POST; sealed to the enclave).") var body: String?
        @Flag(help: "Wait for the answer and print it.") var wait = false
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                guard !url.isEmpty, !path.isEmpty else { throw CommandFailure("give --url and --path") }
                guard isPrivate || (headers.isEmpty && body == nil) else { throw CommandFailure("--header and --body travel sealed: add --private") }
                let kind: OracleRequestKind
                var params: [UInt8]
                if bulk {
                    guard url.count == 1, format == "json" || format == "xml" else { throw CommandFailure("--bulk takes one --url and --format json|xml") }
                    kind = .bulk
                    params = try ABI.encode([.string(url[0]), .uint(UInt256(format == "xml" ? 1 : 0)), .array(path.map { .string($0) })],
                                            types: [.string, .uint(bits: 8), .array(.string)])
                } else if url.count > 1 {
                    guard path.count == 1 else { throw CommandFailure("a median reads one --path from every source") }
                    kind = .median
                    let sources: [ABIValue] = url.map { ABIValue.string($0) }
                    let needed: UInt8 = quorum ?? UInt8(url.count / 2 + 1)
                    let values: [ABIValue] = [.array(sources), .string(path[0]), .uint(UInt256(UInt64(decimals))), .uint(UInt256(UInt64(needed))), .uint(UInt256(UInt64(maxDeviationBps)))]
                    let types: [ABIType] = [.array(.string), .string, .uint(bits: 8), .uint(bits: 8), .uint(bits: 16)]
                    params = try ABI.encode(values, types: types)
                } else {
                    guard path.count == 1 else { throw CommandFailure("a single request reads one --path") }
                    kind = .single
                    params = try ABI.encode([.string(url[0]), .string(path[0]), .uint(UInt256(UInt64(decimals)))], types: [.string, .string, .uint(bits: 8)])
                }
                let signer = try call.account.signer()
                var type = kind.rawValue
                if isPrivate {
                    let key = try call.view(NOSContract.address, "oracleKey()", returns: [.address, .bytes])
                    guard let bytes = key[1].bytesValue, let enclaveKey = try? PublicKey(bytes) else { throw CommandFailure("no oracle enclave is registered") }
                    let envelope: OraclePrivateEnvelope
                    do {
                        envelope = try OraclePrivateEnvelope(params: params, readers: [signer.publicKey.compressed], headers: try OracleCommand.headers(headers),
                                                             body: Array((body ?? "").utf8), requester: signer.address)
                    } catch let e as OraclePrivateEnvelope.Malformed { throw CommandFailure("--body: \(e)") }
                    params = try envelope.sealed(to: enclaveKey)
                    type |= OracleRequestKind.privateFlag
                }
                guard enclaves >= 1, enclaves <= NOSContract.maxEnclaves else { throw CommandFailure("--enclaves must be 1…\(NOSContract.maxEnclaves)") }
                let cap = try maxGasPrice?.wei ?? OracleCommand.defaultGasPriceCap(call)
                try OracleCommand.submit(call, kind: kind, type: type, params: params, cap: cap, enclaves: enclaves, fee: fee?.wei, wait: wait, signer: signer)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A request and its answer (a private answer is decrypted with your key if you give one).")

        @Argument(help: "Request id.") var id: UInt256
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let req = try call.view(NOSContract.address, "getRequest(uint256)", [.uint(id)],
                                        returns: [.address, .uint(bits: 8), .fixedBytes(32), .uint(bits: 256), .address, .fixedBytes(4), .uint(bits: 8), .uint(bits: 64)])
                guard let requester = req[0].addressValue, requester != .zero else { throw CommandFailure("no request \(id)") }
                let type = UInt8(req[1].uintValue?.uint64 ?? 0)
                let status = NOSContract.Status.name(of: req[6].uintValue?.uint64 ?? 0)
                var out: [String: JSON] = ["id": .string(id.description), "requester": .string(requester.checksummed), "type": .int(clamping: type),
                                           "fee": .string(req[3].uintValue?.description ?? ""), "status": .string(status), "requestedAt": .int(clamping: req[7].uintValue?.uint64 ?? 0)]
                if status == "delivered", let kind = OracleRequestKind.parse(type)?.kind {
                    let r = try call.view(NOSContract.address, "getResponse(uint256)", [.uint(id)], returns: [.uint(bits: 8), .uint(bits: 64), .bytes])
                    let key = (call.account.privateKey != nil || call.account.keyFile != nil || call.account.from != nil) ? try call.account.signer() : nil
                    out.merge(try OracleCommand.describe(id: id, kind: kind, type: type, response: r, key: key)) { $1 }
                }
                JSONOutput.print(pretty: true, .object(out))
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel your pending request: all but the cancellation fee comes back.")
        @Argument(help: "Request id.") var id: UInt256
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let (hash, _) = try call.send(to: NOSContract.address, data: try ABI.encodeCall("cancel(uint256)", [.uint(id)]))
                print("request \(id) cancelled (\(hash))")
            }
        }
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register this relay's oracle enclave in the EnclaveRegistry (renewing a registration past half its period) and publish it with NOS (`run` does it too); you are paid its fees.")
        @OptionGroup var enclaveOptions: EnclaveOptions
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let transactor = try call.transactor()
                let chainID = try transactor.client.chainID()
                let enclave = try enclaveOptions.enclave(datadir: call.account.key.datadir)
                // Registration fetches nothing: the data source is never asked.
                let relay = OracleRelay(oracle: OracleEnclave(enclave: enclave, chainID: chainID, source: HTTPSDataSource()), transactor: transactor,
                                        logger: Logger(label: "ankr.oracle.register", factory: { _ in SwiftLogNoOpLogHandler() }))
                let sent = try relay.registerIfNeeded()
                print("oracle enclave \(enclave.publicKey.address.checksummed) \(sent ? "registered" : "already registered"), paying \(transactor.signer.address.checksummed)")
            }
        }
    }

    struct ABIJSON: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "abi", abstract: "Print the NOS contract's ABI JSON, as shipped in abi/NOS.json.")
        func run() throws { print(NOSContract.interface.json, terminator: "") }
    }

    /// A response as JSON: the status, the error code and the decoded answer (decrypted when private and `key` is a reader);
    /// a failed public request's `cause`, as the enclave gave it.
    static func describe(id: UInt256, kind: OracleRequestKind, type: UInt8, response r: [ABIValue], key: PrivateKey?) throws -> [String: JSON] {
        let error = r[1].uintValue?.uint64 ?? 0
        var out: [String: JSON] = ["id": .string(id.description), "error": .int(clamping: error), "errorName": .string(OracleErrorCode(rawValue: error).map { "\($0)" } ?? "unknown")]
        if error != 0, let cause = r[2].bytesValue.flatMap(OracleEnclave.cause(of:)) { out["cause"] = .string(cause) }
        guard error == 0, var data = r[2].bytesValue else { return out }
        // A private request with no readers has a public answer (a payment proof a contract acts on): it reads as itself.
        if type & OracleRequestKind.privateFlag != 0, !(kind == .payment && PaymentProof(decoding: data) != nil) {
            out["ciphertext"] = .string(data.hexPrefixed)
            guard let key, let sealed = try? ABI.decode([.array(.bytes)], from: data).first?.arrayValue?.compactMap({ $0.bytesValue }),
                  let opened = sealed.lazy.compactMap({ try? ECIES.decrypt($0, with: key) }).first else { return out }
            data = opened
        }
        switch kind {
        case .single:
            if let v = try? ABI.decode([.string], from: data).first, case .string(let s) = v, data.count > 64 { out["value"] = .string(s) }
            else if let v = try? ABI.decode([.int(bits: 256)], from: data).first { out["value"] = .string(signed(v)) }
        case .median:
            if let v = try? ABI.decode([.int(bits: 256), .uint(bits: 8)], from: data) { out["value"] = .string(signed(v[0])); out["agreeing"] = .int(clamping: v[1].uintValue?.uint64 ?? 0) }
        case .bulk:
            if let v = try? ABI.decode([.fixedBytes(32), .array(.string)], from: data) {
                out["documentHash"] = .string((v[0].fixedBytesValue ?? []).hexPrefixed)
                out["values"] = .array((v[1].arrayValue ?? []).map { a -> JSON in if case .string(let s) = a { return .string(s) } else { return "" } })
            }
        case .payment:
            if let proof = PaymentProof(decoding: data) { out.merge(describe(proof)) { $1 } }
        }
        return out
    }

    /// The one line a failed answer (as ``describe(id:kind:type:response:key:)`` gives it) ends the command with:
    /// "request 7 failed: sourceUnavailable (the source is unreachable: …)"; nil for an answer.
    static func failure(_ answer: [String: JSON]) -> String? {
        guard let error = answer["error"]?.int, error != 0 else { return nil }
        let name = answer["errorName"]?.string ?? "error \(error)"
        let cause = answer["cause"]?.string.map { " (\(printable($0)))" } ?? ""
        return "request \(answer["id"]?.string ?? "?") failed: \(name)\(cause)"
    }

    /// `text` with its control characters (terminal escapes, newlines) written as escapes: a cause can quote what
    /// a data source sent, and it goes to the user's terminal.
    static func printable(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control { out.append(contentsOf: scalar.escaped(asASCII: true).unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// An int256 answer in decimal, with its sign.
    static func signed(_ v: ABIValue) -> String {
        guard case .int(let u) = v else { return "\(v)" }
        return u.bigEndianBytes[0] & 0x80 != 0 ? "-" + ((~u) &+ .one).description : u.description
    }

}
