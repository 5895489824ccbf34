import AnkrAssets
import AnkrChain
import AnkrCommandLine
import AnkrIdentity
import AnkrPlasma
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// `ankr dapp rental …`: the real-estate dApp (white paper §6.1) around `RentalAgreement.vy`.
struct RentalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rental", abstract: "Tokenised leases: offer an apartment (an asset), sign, pay rent on a child chain or in fiat through a bank, record it as credit.",
        subcommands: [Offer.self, Sign.self, Pay.self, Record.self, FiatTerms.self, ProveFiat.self, CancelFiatProof.self, WithdrawRefund.self, Status.self])

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
        @Option(help: "The apartment: an asset id you own (ankr asset put).") var asset: UInt256
        @Option(help: "The tenant's address.") var tenant: Address
        @Option(help: "Rent per period: wei or with a unit (1200ankr).") var rent: Amount
        @Option(name: .customLong("market-request"), help: "A delivered NOS request answering the market rent in wei (decimals 18).") var marketRequest: UInt256
        @Option(name: .customLong("first-due"), help: "Unix time the first rent is due.") var firstDue: UInt64
        @Option(help: "Seconds between due dates (30 days: 2592000).") var period: UInt64 = 2_592_000
        @Option(help: "Number of periods.") var months: UInt64 = 12
        @Option(help: "Seconds after a due date a payment still counts as on time.") var grace: UInt64 = 432_000
        @Option(name: .customLong("payments-chain"), help: "The child chain rent is paid on.") var paymentsChain: UInt64
        @OptionGroup var artifacts: ArtifactOptions
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let args: [ABIValue] = [.uint(asset), .address(tenant), .uint(rent.wei), .uint(marketRequest), .uint(UInt256(firstDue)), .uint(UInt256(period)), .uint(UInt256(months)), .uint(UInt256(grace)),
                                        .address(try PlasmaCommand.root(paymentsChain))]
                let (hash, address) = try call.deploy(artifacts, "RentalAgreement", args,
                                                      types: [.uint(bits: 256), .address, .uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .uint(bits: 256),
                                                              .uint(bits: 256), .uint(bits: 256), .address])
                let market = try call.view(address, "marketRent()", returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
                JSONOutput.print(pretty: true, ["agreement": .string(address.checksummed), "transaction": .string(hash.description), "marketRent": .string(market.description)])
            }
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As the tenant, approve the lease as an issuer of claims about you (its payment records) and sign it on chain.")
        @Option(help: "The agreement's address.") var agreement: Address
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let me = try call.account.signer().address
                guard try Terms(agreement, call).tenant == me else { throw CommandFailure("only the tenant signs \(agreement.checksummed)") }
                if try call.view(IdentityContract.address, IdentityContract.interface, "isApprovedIssuer", [.address(me), .address(agreement)]).first != .bool(true) {
                    _ = try call.send(IdentityContract.address, IdentityContract.interface, "approveIssuer", [.address(agreement)])
                }
                let (hash, _) = try call.send(agreement, "sign()", [])
                // The lease asset's id is the one reserved for the agreement: 2^160 + its address.
                JSONOutput.print(pretty: true, ["agreement": .string(agreement.checksummed), "leaseAsset": .string(AssetsContract.reservedID(for: agreement).description),
                                                "transaction": .string(hash.description)])
            }
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "As the tenant, pay one rent to the landlord on the payments child chain.")
        @Option(help: "The agreement's address.") var agreement: Address
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let terms = try Terms(agreement, call)
                let chain = try terms.paymentsChain()
                let payment = try PlasmaCommand.wallet(chain, operatorOption, call).pay(terms.landlord, amount: terms.rent)
                JSONOutput.print(pretty: true, ["chain": .int(clamping: chain), "childBlock": .int(clamping: payment.block ?? 0), "transaction": .string(payment.hash.description),
                                                "amount": .string(terms.rent.description), "to": .string(terms.landlord.checksummed)])
            }
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As landlord or tenant, record a month's rent: the tenant's payment is proven in its child block, and the tenant's identity gets an on-time or late claim.")
        @Option(help: "The agreement's address.") var agreement: Address
        @Option(help: "The month (0 is the first).") var month: UInt64
        @Option(name: .customLong("child-block"), help: "The payments-chain block holding the tenant's payment.") var childBlock: UInt64
        @OptionGroup var operatorOption: OperatorOption
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
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
                JSONOutput.print(pretty: true, ["month": .int(clamping: month), "onTime": .bool(onTime), "claimId": .string(recorded?[4].uintValue?.description ?? ""),
                                                "paidAt": .int(clamping: recorded?[3].uintValue?.uint64 ?? 0), "txIndex": .int(clamping: index),
                                                "sealedFor": .array(sealed.readers.map { .string($0.checksummed) }), "transaction": .string(hash.description)])
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A lease: parties, rent against the market, signature, and each month recorded.")
        @Option(help: "The agreement's address.") var agreement: Address
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let terms = try Terms(agreement, call)
                func word(_ signature: String, _ args: [ABIValue] = []) throws -> UInt256 {
                    try call.view(agreement, signature, args, returns: [.uint(bits: 256)]).first?.uintValue ?? .zero
                }
                var months = [JSON]()
                for m in 0..<min(terms.months, 600) where try call.view(agreement, "recorded(uint256)", [.uint(UInt256(m))], returns: [.bool]).first == .bool(true) {
                    months.append(["month": .int(clamping: m), "paidAt": .int(clamping: try word("paidAt(uint256)", [.uint(UInt256(m))]).uint64 ?? 0),
                                   "dueDate": .int(clamping: try word("dueDate(uint256)", [.uint(UInt256(m))]).uint64 ?? 0),
                                   "claimId": .string(try word("claimOf(uint256)", [.uint(UInt256(m))]).description)])
                }
                // Fiat rent, when the landlord offered it: the amount in minor units, the bank, the reference prefix.
                var fiat = JSON.null
                let fiatAmount = try word("fiatAmount()")
                if !fiatAmount.isZero {
                    func text(_ signature: String) throws -> String {
                        guard case .string(let s) = try call.view(agreement, signature, returns: [.string]).first else { return "" }
                        return s
                    }
                    fiat = ["amountMinor": .string(fiatAmount.description), "currency": .string(try text("fiatCurrency()")), "bank": .string(try text("fiatBank()")),
                            "reference": .string(try text("fiatReference()"))]
                }
                JSONOutput.print(pretty: true, [
                    "fiat": fiat,
                    "agreement": .string(agreement.checksummed), "landlord": .string(terms.landlord.checksummed), "tenant": .string(terms.tenant.checksummed),
                    "asset": .string(try word("assetId()").description), "rent": .string(terms.rent.description),
                    "marketRent": .string(try word("marketRent()").description), "signed": .bool(terms.signed), "months": .int(clamping: terms.months),
                    "onTime": .int(clamping: try word("onTimeCount()").uint64 ?? 0), "late": .int(clamping: try word("lateCount()").uint64 ?? 0), "recorded": .array(months),
                ])
            }
        }
    }
}
