import AnkrAppChain
import AnkrChain
import AnkrCommandLine
import AnkrIdentity
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// `ankr dapp lease …`: the real-estate dApp on a real-estate application chain (white paper §3.1). The lease and its
/// rent live there (`ChainLease.vy`); each payment reaches the tenant's identity on the main chain as a message to the
/// lease's `LeaseRecords.vy`, recorded once the payment's block is final.
struct LeaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lease",
        abstract: "Leases on a real-estate application chain: offer, sign and pay rent there; record each payment as credit on the tenant's main-chain identity.",
        subcommands: [Offer.self, Sign.self, Pay.self, ReportOverdue.self, Record.self, Status.self])

    static let recordsTypes: [ABIType] = [.address, .address]
    static let leaseTypes: [ABIType] = [.fixedBytes(32), .address, .uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .uint(bits: 256),
                                        .uint(bits: 256), .uint(bits: 256), .address]
    static let paidEvent = "Paid(uint256,bool,uint256,uint256,uint256)"
    static let overdueEvent = "Overdue(uint256,uint256)"
    static let recordedEvent = "PaymentRecorded(uint256,bool,uint256,uint256,uint256,uint256)"
}

/// The two chains a lease command uses: the main chain (`--rpc`, where identities and the records live) and the
/// real-estate application chain (`--app-rpc`, where the lease lives), with one signer.
struct LeaseChains: ParsableArguments {
    @Option(name: .customLong("app-rpc"), help: "The real-estate application chain's JSON-RPC URL (`make run` serves one on 8701).")
    var appRPC = "http://127.0.0.1:8701"
    @OptionGroup var call: ContractCall

    /// The same signer on the application chain (its default confirmations: 1, its operator alone seals).
    var app: ContractCall {
        var c = call
        c.node.rpc = appRPC
        c.confirmation.confirmations = nil
        return c
    }

    /// The registry id of the application chain whose root is `root`, refusing unless `--app-rpc` serves that chain.
    func chain(root: Address) throws -> UInt64 {
        guard let id = AppChainRegistry.id(ofRoot: root), id > 0 else { throw CommandFailure("\(root.checksummed) is no application chain's root") }
        guard try call.node.eth().code(at: root) == SystemContractRegistry.markerCode else { throw CommandFailure("the main chain has no application chain \(id)") }
        let registered = try call.view(root, AppChainRoot.interface, "chainId")[0].uintValue?.uint64 ?? 0
        let served = try app.node.eth().chainID()
        guard registered == served else { throw CommandFailure("--app-rpc serves chain id \(served); application chain \(id) is chain id \(registered)") }
        return id
    }

    /// The registry id of the application chain `--app-rpc` serves, found by its chain id.
    func registeredID() throws -> UInt64 {
        let served = try app.node.eth().chainID()
        let id = try call.view(AppChainRegistry.address, AppChainRegistry.interface, "idOfChain", [.uint(UInt256(served))])[0].uintValue?.uint64 ?? 0
        guard id > 0 else { throw CommandFailure("the main chain has no application chain with chain id \(served) (the one --app-rpc serves)") }
        return id
    }

    /// The lease's terms, read on the application chain.
    func terms(_ lease: Address) throws -> LeaseTerms { try LeaseTerms(lease, app) }
}

/// A `ChainLease`'s parties and state, read through `eth_call` on its chain.
struct LeaseTerms {
    var landlord: Address, tenant: Address, records: Address, rent: UInt256, months: UInt64, paidMonths: UInt64, signed: Bool
    var firstDue: UInt64, period: UInt64, grace: UInt64

    init(_ lease: Address, _ app: ContractCall) throws {
        func one(_ signature: String, _ type: ABIType) throws -> ABIValue {
            guard let v = try app.view(lease, signature, returns: [type]).first else { throw CommandFailure("\(lease.checksummed) answered nothing to \(signature)") }
            return v
        }
        guard try !app.node.eth().code(at: lease).isEmpty, let landlord = try one("landlord()", .address).addressValue, landlord != .zero else {
            throw CommandFailure("\(lease.checksummed) is not a lease on the application chain")
        }
        self.landlord = landlord
        tenant = try one("tenant()", .address).addressValue ?? .zero
        records = try one("records()", .address).addressValue ?? .zero
        rent = try one("rent()", .uint(bits: 256)).uintValue ?? .zero
        months = try one("months()", .uint(bits: 256)).uintValue?.uint64 ?? 0
        paidMonths = try one("paidMonths()", .uint(bits: 256)).uintValue?.uint64 ?? 0
        signed = try one("signed()", .bool) == .bool(true)
        firstDue = try one("firstDue()", .uint(bits: 256)).uintValue?.uint64 ?? 0
        period = try one("period()", .uint(bits: 256)).uintValue?.uint64 ?? 0
        grace = try one("grace()", .uint(bits: 256)).uintValue?.uint64 ?? 0
    }

    /// Unix time after which month `month` is late (the lease bounds each term to 10^12, so no overflow).
    func lateAfter(month: UInt64) -> UInt64 {
        firstDue.addingReportingOverflow(month.multipliedReportingOverflow(by: period).partialValue).partialValue.addingReportingOverflow(grace).partialValue
    }

    /// The terms as the tenant signs them.
    var json: [String: JSON] {
        ["landlord": .string(landlord.checksummed), "tenant": .string(tenant.checksummed), "records": .string(records.checksummed),
         "rent": .string(rent.description), "months": .int(clamping: months), "firstDue": .int(clamping: firstDue), "period": .int(clamping: period),
         "grace": .int(clamping: grace)]
    }
}

extension LeaseCommand {
    struct Offer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As landlord, offer a lease on the application chain (rent checked against its oracle's market rent, at most 10% above) and its records contract on the main chain.")
        @Option(help: "The application chain's id in the main chain's registry (default: the one --app-rpc serves).") var chain: UInt64?
        @Option(help: "What is leased, in words (the lease keeps its keccak256).") var property: String
        @Option(help: "The tenant's address.") var tenant: Address
        @Option(help: "Rent per period, in the application chain's ANKR: wei or with a unit (2ankr).") var rent: Amount
        @Option(name: .customLong("market-request"), help: "A delivered NOS request on the application chain answering the market rent in wei (decimals 18).")
        var marketRequest: UInt256
        @Option(name: .customLong("first-due"), help: "Unix time the first rent is due.") var firstDue: UInt64
        @Option(help: "Seconds between due dates (30 days: 2592000).") var period: UInt64 = 2_592_000
        @Option(help: "Number of periods (1 to 600).") var months: UInt64 = 12
        @Option(help: "Seconds after a due date a payment still counts as on time.") var grace: UInt64 = 432_000
        @OptionGroup var artifacts: ArtifactOptions
        @OptionGroup var chains: LeaseChains

        func run() throws {
            try reportingErrors {
                guard chain.map({ (1...AppChainRegistry.maxChains).contains($0) }) ?? true else { throw CommandFailure("--chain must be 1…\(AppChainRegistry.maxChains)") }
                guard (1...600).contains(months) else { throw CommandFailure("--months must be 1 to 600") }
                let root = AppChainRegistry.rootAddress(try chain ?? chains.registeredID())
                let chain = try chains.chain(root: root)
                let landlord = try chains.call.account.signer().address
                let leaseCode = try artifacts.bytecode("ChainLease")
                func leaseArguments(records: Address) -> [ABIValue] {
                    [.fixedBytes(Keccak256.hash(Array(property.utf8))), .address(tenant), .uint(rent.wei), .uint(marketRequest), .uint(UInt256(firstDue)),
                     .uint(UInt256(period)), .uint(UInt256(months)), .uint(UInt256(grace)), .address(records)]
                }
                // The lease's own checks (market rent answered, rent within 10% of it) run first, in an eth_call, so a refused
                // offer spends nothing on the main chain.
                do {
                    _ = try chains.app.node.eth().call(.init(from: landlord, data: leaseCode + ABI.encode(leaseArguments(records: landlord), types: LeaseCommand.leaseTypes)))
                } catch {
                    throw CommandFailure("the application chain refuses the lease: \(error)")
                }
                let (_, records) = try chains.call.deploy(artifacts, "LeaseRecords", [.address(root), .address(tenant)], types: LeaseCommand.recordsTypes)
                let (leaseTx, lease) = try chains.app.deploy(artifacts, "ChainLease", leaseArguments(records: records), types: LeaseCommand.leaseTypes)
                _ = try chains.call.send(records, "bindLease(address)", [.address(lease)])
                let market = try chains.app.view(lease, "marketRent()", returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
                JSONOutput.print(pretty: true, ["lease": .string(lease.checksummed), "records": .string(records.checksummed), "chain": .int(clamping: chain),
                                                "marketRent": .string(market.description), "transaction": .string(leaseTx.description)])
            }
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As tenant, check the lease and its main-chain records name each other, approve the records as an issuer of claims about you, and sign the lease.")
        @Option(help: "The lease's address on the application chain.") var lease: Address
        @Option(help: "The rent you agreed to: the lease must ask exactly this (wei or with a unit, 2ankr).") var rent: Amount
        @Flag(name: .customLong("accept-overdue"), help: "Sign even though the first month is already past its due date and grace (its payment will be late).")
        var acceptOverdue = false
        @OptionGroup var artifacts: ArtifactOptions
        @OptionGroup var chains: LeaseChains

        func run() throws {
            try reportingErrors {
                let me = try chains.call.account.signer().address
                // Both halves must be the dApp's own code (neither has immutables, and code cannot change under EIP-6780):
                // a look-alike records contract could attest anything once approved as an issuer.
                guard try chains.app.node.eth().code(at: lease) == artifacts.runtimeBytecode("ChainLease") else {
                    throw CommandFailure("\(lease.checksummed) on the application chain is not a ChainLease")
                }
                let terms = try chains.terms(lease)
                guard try chains.call.node.eth().code(at: terms.records) == artifacts.runtimeBytecode("LeaseRecords") else {
                    throw CommandFailure("the lease's records contract \(terms.records.checksummed) on the main chain is not a LeaseRecords")
                }
                guard terms.tenant == me else { throw CommandFailure("only the tenant signs \(lease.checksummed)") }
                guard !terms.signed else { throw CommandFailure("\(lease.checksummed) is signed") }
                guard terms.rent == rent.wei else { throw CommandFailure("the lease asks \(terms.rent) wei a period, not the \(rent.wei) you agreed to") }
                guard acceptOverdue || terms.lateAfter(month: 0) >= UInt64(Date().timeIntervalSince1970) else {
                    throw CommandFailure("the first rent was due at \(terms.firstDue) and is late since \(terms.lateAfter(month: 0)): sign with --accept-overdue to take that")
                }
                func records(_ signature: String) throws -> Address {
                    try chains.call.view(terms.records, signature, returns: [.address]).first?.addressValue ?? .zero
                }
                guard try records("lease()") == lease, try records("tenant()") == me, try records("landlord()") == terms.landlord else {
                    throw CommandFailure("the lease's records contract \(terms.records.checksummed) on the main chain is not bound to this lease, its landlord and you")
                }
                let chain = try chains.chain(root: try records("chainRoot()"))
                if try chains.call.view(IdentityContract.address, IdentityContract.interface, "isApprovedIssuer", [.address(me), .address(terms.records)]).first != .bool(true) {
                    _ = try chains.call.send(IdentityContract.address, IdentityContract.interface, "approveIssuer", [.address(terms.records)])
                }
                let (hash, _) = try chains.app.send(lease, "sign()", [])
                var out = terms.json
                out["lease"] = .string(lease.checksummed); out["chain"] = .int(clamping: chain); out["transaction"] = .string(hash.description)
                JSONOutput.print(pretty: true, .object(out))
            }
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As tenant, pay the next month's rent on the application chain; the lease forwards it to the landlord and sends the record to the main chain.")
        @Option(help: "The lease's address on the application chain.") var lease: Address
        @OptionGroup var chains: LeaseChains

        func run() throws {
            try reportingErrors {
                let terms = try chains.terms(lease)
                guard terms.tenant == (try chains.call.account.signer().address) else { throw CommandFailure("only the tenant pays \(lease.checksummed)") }
                guard terms.signed else { throw CommandFailure("\(lease.checksummed) is not signed") }
                guard terms.paidMonths < terms.months else { throw CommandFailure("every month of \(lease.checksummed) is paid") }
                let (hash, logs) = try chains.app.send(lease, "pay()", [], value: terms.rent)
                guard let paid = try ContractCall.eventData(LeaseCommand.paidEvent, from: lease, in: logs, types: [.bool, .uint(bits: 256), .uint(bits: 256), .uint(bits: 256)]),
                      let month = ContractCall.log(LeaseCommand.paidEvent, from: lease, in: logs)?.topics.dropFirst().first.flatMap({ UInt256(bigEndian: $0.bytes)?.uint64 }) else {
                    throw CommandFailure("the payment \(hash) logged no Paid event")
                }
                JSONOutput.print(pretty: true, ["month": .int(clamping: month), "onTime": .bool(paid[0] == .bool(true)), "paidAt": .int(clamping: paid[1].uintValue?.uint64 ?? 0),
                                                "amount": .string(paid[2].uintValue?.description ?? ""), "messageIndex": .string(paid[3].uintValue?.description ?? ""),
                                                "transaction": .string(hash.description)])
            }
        }
    }

    struct ReportOverdue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report-overdue",
            abstract: "As landlord, report the next month unpaid past its due date and grace: the main chain gets a late record for it (`record --tx` this transaction).")
        @Option(help: "The lease's address on the application chain.") var lease: Address
        @OptionGroup var chains: LeaseChains

        func run() throws {
            try reportingErrors {
                let terms = try chains.terms(lease)
                guard terms.landlord == (try chains.call.account.signer().address) else { throw CommandFailure("only the landlord reports \(lease.checksummed)") }
                guard terms.signed else { throw CommandFailure("\(lease.checksummed) is not signed") }
                guard terms.paidMonths < terms.months else { throw CommandFailure("every month of \(lease.checksummed) is paid") }
                let (hash, logs) = try chains.app.send(lease, "reportOverdue()", [])
                guard let index = try ContractCall.eventData(LeaseCommand.overdueEvent, from: lease, in: logs, types: [.uint(bits: 256)])?.first?.uintValue else {
                    throw CommandFailure("the report \(hash) logged no Overdue event")
                }
                JSONOutput.print(pretty: true, ["month": .int(clamping: terms.paidMonths), "messageIndex": .string(index.description), "transaction": .string(hash.description)])
            }
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As landlord or tenant, once a payment's block is final: prove its message on the main chain and record it as an on-time or late claim on the tenant's identity.")
        @Option(help: "The lease's address on the application chain.") var lease: Address
        @Option(help: "The payment: the application-chain transaction `pay` printed.") var tx: String
        @Option(help: "Seconds to wait for the payment's block to be final (0: refuse at once, saying when it will be).") var wait: UInt64 = 0
        @OptionGroup var chains: LeaseChains

        func run() throws {
            try reportingErrors {
                guard let hash = try? H256(hex: tx) else { throw CommandFailure("--tx must be a 32-byte transaction hash") }
                guard wait <= 86_400 else { throw CommandFailure("--wait is at most 86400 seconds") }
                let terms = try chains.terms(lease)
                let call = chains.call
                let me = try call.account.signer().address
                guard me == terms.landlord || me == terms.tenant else { throw CommandFailure("only the landlord or the tenant records payments") }
                let root = try call.view(terms.records, "chainRoot()", returns: [.address]).first?.addressValue ?? .zero
                let finalization = try AppChainFinalization(chain: try chains.chain(root: root), appRPC: chains.appRPC, call: call)
                // The payment's record: the lease's message to its records contract.
                guard let message = try finalization.exits(of: hash).exits.first(where: { exit in
                    if case .message(let m) = exit.kind { return m.sender == lease && m.target == terms.records }
                    return false
                }), case .message(let m) = message.kind else {
                    throw CommandFailure("transaction \(hash) is not a rent payment of \(lease.checksummed)")
                }
                let fields = try ABI.decode([.uint(bits: 256), .bool, .uint(bits: 256), .uint(bits: 256)], from: m.data)
                guard let month = fields[0].uintValue?.uint64, let paidAt = fields[2].uintValue, let amount = fields[3].uintValue else {
                    throw CommandFailure("the payment's record names no month")
                }
                if try call.view(terms.records, "recorded(uint256)", [.uint(UInt256(month))], returns: [.bool]).first == .bool(true) {
                    throw CommandFailure("month \(month) of \(lease.checksummed) is recorded")
                }
                _ = try finalization.finalize(hash, waiting: wait)
                let onTime = fields[1] == .bool(true)
                let type = onTime ? IdentityContract.paymentOnTime : IdentityContract.paymentLate
                let what = paidAt.isZero ? "unpaid past its due date and grace, reported by the landlord"
                    : "\(amount) wei from \(terms.tenant.checksummed) to \(terms.landlord.checksummed) at \(paidAt), \(onTime ? "on time" : "late")"
                let text = "rent for month \(month) of lease \(lease.checksummed) on application chain \(finalization.chain): \(what), transaction \(hash)"
                let claim = SealedClaim(payload: Array(text.utf8))
                let sealed = try DAppArguments.sealedCopies(of: claim, about: terms.tenant, claimType: type, call)
                let (sent, logs) = try call.send(terms.records, "recordPayment(uint256,bytes,bytes32,address[],bytes[])",
                                                 [.uint(UInt256(message.index)), .bytes(m.data), .fixedBytes(claim.claimHash.bytes),
                                                  .array(sealed.readers.map(ABIValue.address)), .array(sealed.copies.map(ABIValue.bytes))])
                let recorded = try ContractCall.eventData(LeaseCommand.recordedEvent, from: terms.records, in: logs,
                                                          types: [.bool, .uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .uint(bits: 256)])
                JSONOutput.print(pretty: true, ["month": .int(clamping: month), "onTime": .bool(onTime), "paidAt": .int(clamping: paidAt.uint64 ?? 0),
                                                "claimId": .string(recorded?[4].uintValue?.description ?? ""), "messageIndex": .int(clamping: message.index),
                                                "sealedFor": .array(sealed.readers.map { .string($0.checksummed) }), "transaction": .string(sent.description)])
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A lease: its terms and payments on the application chain, and what its records contract has recorded on the main chain.")
        @Option(help: "The lease's address on the application chain.") var lease: Address
        @OptionGroup var chains: LeaseChains

        func run() throws {
            try reportingErrors {
                let terms = try chains.terms(lease)
                func word(_ call: ContractCall, _ contract: Address, _ signature: String, _ args: [ABIValue] = []) throws -> UInt256 {
                    try call.view(contract, signature, args, returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
                }
                var months = [JSON]()
                for m in 0..<min(terms.paidMonths, 600) {
                    let month = [ABIValue.uint(UInt256(m))]
                    let recorded = try chains.call.view(terms.records, "recorded(uint256)", month, returns: [.bool]).first == .bool(true)
                    months.append(["month": .int(clamping: m), "paidAt": .int(clamping: try word(chains.app, lease, "paidAt(uint256)", month).uint64 ?? 0),
                                   "dueDate": .int(clamping: try word(chains.app, lease, "dueDate(uint256)", month).uint64 ?? 0),
                                   "recorded": .bool(recorded),
                                   "claimId": recorded ? .string(try word(chains.call, terms.records, "claimOf(uint256)", month).description) : .null])
                }
                var out = terms.json
                out["lease"] = .string(lease.checksummed)
                out["marketRent"] = .string(try word(chains.app, lease, "marketRent()").description)
                out["marketRequest"] = .string(try word(chains.app, lease, "marketRequest()").description)
                out["signed"] = .bool(terms.signed)
                out["paid"] = .array(months)
                out["onTime"] = .int(clamping: try word(chains.call, terms.records, "onTimeCount()").uint64 ?? 0)
                out["late"] = .int(clamping: try word(chains.call, terms.records, "lateCount()").uint64 ?? 0)
                JSONOutput.print(pretty: true, .object(out))
            }
        }
    }
}
