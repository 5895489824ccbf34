import AnkrAssets
import AnkrChain
import AnkrIdentity
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// `ankr dapp rental …`: the real-estate dApp (white paper §6.1) around `RentalAgreement.vy`.
struct RentalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rental", abstract: "Tokenised leases: offer an apartment (an asset), sign, pay rent on a child chain, record it as credit.",
        subcommands: [Offer.self, Sign.self, Pay.self, Record.self, Status.self])

    /// The agreement's terms and parties, read through `eth_call`.
    struct Terms {
        var landlord: Address, tenant: Address, rent: UInt256, months: UInt64, paymentsRoot: Address, signed: Bool

        init(_ agreement: Address, _ call: ContractCall) throws {
            func one(_ signature: String, _ type: ABIType) throws -> ABIValue {
                guard let v = try call.view(agreement, signature, returns: [type]).first else { throw CommandFailure("\(agreement.checksummed) answered nothing to \(signature)") }
                return v
            }
            guard let landlord = try one("landlord()", .address).addressValue, landlord != .zero else {
                throw CommandFailure("\(agreement.checksummed) is not a rental agreement")
            }
            self.landlord = landlord
            tenant = try one("tenant()", .address).addressValue ?? .zero
            rent = try one("rent()", .uint(bits: 256)).uintValue ?? .zero
            months = try one("months()", .uint(bits: 256)).uintValue?.uint64 ?? 0
            paymentsRoot = try one("paymentsRoot()", .address).addressValue ?? .zero
            signed = try one("signed()", .bool) == .bool(true)
        }

        /// The id of the child chain whose root the agreement names.
        func paymentsChain() throws -> UInt64 {
            guard let chain = ChildChainRegistry.chainID(ofRoot: paymentsRoot) else { throw CommandFailure("the agreement names no child chain") }
            return chain
        }
    }

    struct Offer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As the apartment's owner, offer a lease to a tenant; the rent is checked against the oracle's market rent (at most 10% above).")
        @Option(help: "The apartment: an asset id you own (ankr asset put).") var asset: String
        @Option(help: "The tenant's address.") var tenant: String
        @Option(help: "Rent per period: wei or with a unit (1200ankr).") var rent: String
        @Option(name: .customLong("market-request"), help: "A delivered NOS request answering the market rent in wei (decimals 18).") var marketRequest: String
        @Option(name: .customLong("first-due"), help: "Unix time the first rent is due.") var firstDue: UInt64
        @Option(help: "Seconds between due dates (30 days: 2592000).") var period: UInt64 = 2_592_000
        @Option(help: "Number of periods.") var months: UInt64 = 12
        @Option(help: "Seconds after a due date a payment still counts as on time.") var grace: UInt64 = 432_000
        @Option(name: .customLong("payments-chain"), help: "The child chain rent is paid on.") var paymentsChain: UInt64
        @OptionGroup var artifacts: ArtifactOptions
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let asset = try AssetCommand.id(self.asset)
                guard let request = try? UInt256(parsing: marketRequest) else { throw CommandFailure("--market-request is not a request id") }
                let args: [ABIValue] = [.uint(asset), .address(try IdentityCommand.address(tenant, "--tenant")), .uint(try DAppArguments.amount(rent, "--rent")),
                                        .uint(request), .uint(UInt256(firstDue)), .uint(UInt256(period)), .uint(UInt256(months)), .uint(UInt256(grace)),
                                        .address(try PlasmaCommand.root(paymentsChain))]
                let (hash, address) = try call.deploy(artifacts, "RentalAgreement", args,
                                                      types: [.uint(bits: 256), .address, .uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .uint(bits: 256),
                                                              .uint(bits: 256), .uint(bits: 256), .address])
                let market = try call.view(address, "marketRent()", returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
                try JSONOutput.print(pretty: true, ["agreement": address.checksummed, "transaction": hash, "marketRent": market.description])
            }
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As the tenant, approve the lease as an issuer of claims about you (its payment records) and sign it on chain.")
        @Option(help: "The agreement's address.") var agreement: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let agreement = try IdentityCommand.address(self.agreement, "--agreement")
                let me = try call.account.signer().address
                guard try Terms(agreement, call).tenant == me else { throw CommandFailure("only the tenant signs \(agreement.checksummed)") }
                if try call.view(IdentityContract.address, IdentityContract.interface, "isApprovedIssuer", [.address(me), .address(agreement)]).first != .bool(true) {
                    _ = try call.send(IdentityContract.address, IdentityContract.interface, "approveIssuer", [.address(agreement)])
                }
                let (hash, _) = try call.send(agreement, "sign()", [])
                // The lease asset's id is the one reserved for the agreement: 2^160 + its address.
                try JSONOutput.print(pretty: true, ["agreement": agreement.checksummed, "leaseAsset": AssetsContract.reservedID(for: agreement).description,
                                                   "transaction": hash])
            }
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "As the tenant, pay one rent to the landlord on the payments child chain.")
        @Option(help: "The agreement's address.") var agreement: String
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let terms = try Terms(try IdentityCommand.address(agreement, "--agreement"), call)
                let chain = try terms.paymentsChain()
                let payment = try PlasmaCommand.wallet(chain, operatorOption, call).pay(terms.landlord, amount: terms.rent)
                try JSONOutput.print(pretty: true, ["chain": chain, "childBlock": payment.block ?? 0, "transaction": payment.hash.description,
                                                   "amount": terms.rent.description, "to": terms.landlord.checksummed])
            }
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As landlord or tenant, record a month's rent: the tenant's payment is proven in its child block, and the tenant's identity gets an on-time or late claim.")
        @Option(help: "The agreement's address.") var agreement: String
        @Option(help: "The month (0 is the first).") var month: UInt64
        @Option(name: .customLong("child-block"), help: "The payments-chain block holding the tenant's payment.") var childBlock: UInt64
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let agreement = try IdentityCommand.address(self.agreement, "--agreement")
                let terms = try Terms(agreement, call)
                guard terms.signed else { throw CommandFailure("the tenant has not signed \(agreement.checksummed)") }
                let chain = try terms.paymentsChain()
                // The payment, in a block whose root is on the main chain: signed by the tenant, the rent to the landlord first.
                let root = RootContractClient(rpc: try call.node.client(), chain: chain)
                let block = try operatorOption.client().verifiedBlock(childBlock, against: root)
                guard let index = try block.transactions.firstIndex(where: { tx in
                    try tx.signers().contains(terms.tenant) && tx.outputs[0].owner == terms.landlord && tx.outputs[0].amount >= terms.rent
                }) else {
                    throw CommandFailure("child block \(childBlock) holds no payment of at least \(terms.rent) wei from \(terms.tenant.checksummed) to \(terms.landlord.checksummed)")
                }
                let payment = block.transactions[index]
                let paidAt = try root.view("getChildBlock", [.uint(UInt256(childBlock))])[2].uintValue ?? .zero
                let type = try call.view(agreement, "claimTypeFor(uint256,uint256)", [.uint(UInt256(month)), .uint(paidAt)],
                                         returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
                let onTime = type == IdentityContract.paymentOnTime
                let text = "rent for month \(month) of lease \(agreement.checksummed): \(terms.rent) wei from \(terms.tenant.checksummed) "
                    + "to \(terms.landlord.checksummed), child block \(childBlock) of chain \(chain), transaction \(payment.hash), \(onTime ? "on time" : "late")"
                let claim = SealedClaim(payload: Array(text.utf8))
                let sealed = try DAppArguments.sealedCopies(of: claim, about: terms.tenant, claimType: type, call)
                let (hash, logs) = try call.send(agreement, "recordPayment(uint256,uint256,uint256,bytes,bytes,bytes32,address[],bytes[])",
                                                 [.uint(UInt256(month)), .uint(UInt256(childBlock)), .uint(UInt256(index)), .bytes(payment.encoded),
                                                  .bytes(try block.tree().proof(index: index)), .fixedBytes(claim.claimHash.bytes),
                                                  .array(sealed.readers.map(ABIValue.address)), .array(sealed.copies.map(ABIValue.bytes))])
                let recorded = try ContractCall.eventData("PaymentRecorded(uint256,bool,uint256,uint256,uint256,uint256)", from: agreement, in: logs,
                                                          types: [.bool, .uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .uint(bits: 256)])
                try JSONOutput.print(pretty: true, ["month": month, "onTime": onTime, "claimId": recorded?[4].uintValue?.description ?? "",
                                                   "paidAt": recorded?[3].uintValue?.uint64 ?? 0, "txIndex": index,
                                                   "sealedFor": sealed.readers.map(\.checksummed), "transaction": hash])
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A lease: parties, rent against the market, signature, and each month recorded.")
        @Option(help: "The agreement's address.") var agreement: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let agreement = try IdentityCommand.address(self.agreement, "--agreement")
                let terms = try Terms(agreement, call)
                func word(_ signature: String, _ args: [ABIValue] = []) throws -> UInt256 {
                    try call.view(agreement, signature, args, returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
                }
                var months = [[String: Any]]()
                for m in 0..<min(terms.months, 600) where try call.view(agreement, "recorded(uint256)", [.uint(UInt256(m))], returns: [.bool]).first == .bool(true) {
                    months.append(["month": m, "paidAt": try word("paidAt(uint256)", [.uint(UInt256(m))]).uint64 ?? 0,
                                   "dueDate": try word("dueDate(uint256)", [.uint(UInt256(m))]).uint64 ?? 0,
                                   "claimId": try word("claimOf(uint256)", [.uint(UInt256(m))]).description])
                }
                try JSONOutput.print(pretty: true, [
                    "agreement": agreement.checksummed, "landlord": terms.landlord.checksummed, "tenant": terms.tenant.checksummed,
                    "asset": try word("assetId()").description, "rent": terms.rent.description, "marketRent": try word("marketRent()").description,
                    "signed": terms.signed, "months": terms.months, "onTime": try word("onTimeCount()").uint64 ?? 0,
                    "late": try word("lateCount()").uint64 ?? 0, "recorded": months,
                ])
            }
        }
    }
}
