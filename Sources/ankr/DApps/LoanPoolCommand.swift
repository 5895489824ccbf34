import AnkrAssets
import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrIdentity
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// `ankr dapp abs …`: the asset-backed-security dApp (white paper §6.2) around `LoanPool.vy`.
struct LoanPoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abs", abstract: "A loan-backed security: originate loans as assets, pool them, sell tranches, distribute repayments by the waterfall.",
        subcommands: [Create.self, AddLoan.self, Invest.self, Repay.self, Missed.self, Claim.self, View.self])

    static func tranche(_ text: String) throws -> UInt256 {
        switch text.lowercased() {
        case "senior", "0": return .zero
        case "junior", "1": return .one
        default: throw CommandFailure("--tranche is senior or junior")
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "As servicer, set up the SPV: tranche sizes (tokens of 1 ANKR), senior coupon, servicing fee, regulators, rating agencies.")
        @Option(help: "Senior tokens.") var senior: UInt64
        @Option(help: "Junior tokens.") var junior: UInt64
        @Option(name: .customLong("coupon-bps"), help: "The senior tranche's return over the life of the pool, in basis points.") var couponBps: UInt64
        @Option(name: .customLong("fee-bps"), help: "The servicing fee taken from each repayment, in basis points (≤ 1000).") var feeBps: UInt64 = 0
        @Option(help: "A regulator's address (sees every loan in full).") var regulator: [Address] = []
        @Option(name: .customLong("rating-agency"), help: "A rating agency's address (sees loan performance).") var ratingAgency: [Address] = []
        @OptionGroup var artifacts: ArtifactOptions
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                guard regulator.count <= 8, ratingAgency.count <= 8 else { throw CommandFailure("at most 8 regulators and 8 rating agencies") }
                let regulators = regulator.map(ABIValue.address), agencies = ratingAgency.map(ABIValue.address)
                let (hash, address) = try call.deploy(artifacts, "LoanPool",
                                                      [.uint(UInt256(senior)), .uint(UInt256(junior)), .uint(UInt256(couponBps)), .uint(UInt256(feeBps)),
                                                       .array(regulators), .array(agencies)],
                                                      types: [.uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .array(.address), .array(.address)])
                JSONOutput.print(pretty: true, ["pool": .string(address.checksummed), "transaction": .string(hash.description)])
            }
        }
    }

    struct AddLoan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Originate a loan as an asset (its terms hashed into the metadata), transfer it to the pool, pool it, and seal the borrower's data to the regulators.")
        @Option(help: "The pool.") var pool: Address
        @Option(help: "The loan's asset id.") var asset: UInt256
        @Option(help: "Principal: wei or with a unit.") var principal: Amount
        @Option(name: .customLong("rate-bps"), help: "Interest rate, basis points per year.") var rateBps: UInt64
        @Option(help: "Term in months.") var term: UInt64
        @Option(help: "The borrower's identifying data (only regulators can read it).") var borrower: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let principal = self.principal.wei
                let borrowerData = SealedClaim(payload: Array(borrower.utf8))
                let terms = "loan \(asset): principal \(principal) wei, \(rateBps) bps per year, \(term) months, borrower \(borrowerData.claimHash)"
                try AssetCommand.write(call, "PUT", "/v1/assets/\(asset)", "put", [.uint(asset), .fixedBytes(Keccak256.hash(Array(terms.utf8))), .uint(.zero)], quiet: true)
                try AssetCommand.write(call, "POST", "/v1/assets/\(asset)/transfer", "transfer", [.uint(asset), .address(pool)], quiet: true)
                let (hash, logs) = try call.send(pool, "addLoan(uint256,uint256,uint256,uint256,bytes32)",
                                                 [.uint(asset), .uint(principal), .uint(UInt256(rateBps)), .uint(UInt256(term)), .fixedBytes(borrowerData.claimHash.bytes)])
                guard let topics = ContractCall.log("LoanAdded(uint256,uint256,uint256)", from: pool, in: logs)?.topics,
                      topics.count > 1 else { throw CommandFailure("no LoanAdded event in \(hash)") }
                let id = topics[1].word
                // Borrower data: sealed to every regulator that published a key.
                var sealedFor = [String]()
                let regulators = try LoanPoolCommand.regulators(of: pool, call)
                for r in regulators {
                    guard let key = try? IdentityCommand.encryptionKey(of: r, call) else { continue }
                    _ = try call.send(pool, "sealBorrower(uint256,address,bytes)", [.uint(id), .address(r), .bytes(try borrowerData.sealed(to: key))])
                    sealedFor.append(r.checksummed)
                }
                JSONOutput.print(pretty: true, ["loan": .string(id.description), "asset": .string(asset.description), "transaction": .string(hash.description),
                                                "borrowerCommitment": .string(borrowerData.claimHash.description), "sealedFor": .array(sealedFor.map(JSON.string))])
            }
        }
    }

    /// The regulators the pool was created with.
    static func regulators(of pool: Address, _ call: ContractCall) throws -> [Address] {
        try call.view(pool, "regulators()", returns: [.array(.address)]).first?.arrayValue?.compactMap(\.addressValue) ?? []
    }

    struct Invest: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Buy security tokens of a tranche at face value (1 ANKR each).")
        @Option(help: "The pool.") var pool: Address
        @Option(help: "senior or junior.") var tranche: String
        @Option(help: "Number of tokens.") var tokens: UInt64
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let value = UInt256(tokens) &* UInt256(1_000_000_000_000_000_000)
                let (hash, _) = try call.send(pool, "invest(uint256)", [.uint(try LoanPoolCommand.tranche(tranche))], value: value)
                print("bought \(tokens) \(tranche) token(s) (\(hash))")
            }
        }
    }

    struct Repay: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "As servicer, pass on a borrower's repayment; the waterfall splits it at once.")
        @Option(help: "The pool.") var pool: Address
        @Option(help: "Loan id.") var loan: UInt64
        @Option(help: "Amount: wei or with a unit.") var value: Amount
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let (hash, logs) = try call.send(pool, "repay(uint256)", [.uint(UInt256(loan))], value: value.wei)
                guard let split = try ContractCall.eventData("Repaid(uint256,uint256,uint256,uint256,uint256)", from: pool, in: logs,
                                                             types: [.uint(bits: 256), .uint(bits: 256), .uint(bits: 256), .uint(bits: 256)]) else {
                    throw CommandFailure("no Repaid event in \(hash)")
                }
                JSONOutput.print(pretty: true, ["loan": .int(clamping: loan), "amount": .string(split[0].description), "fee": .string(split[1].description),
                                                "senior": .string(split[2].description), "junior": .string(split[3].description), "transaction": .string(hash.description)])
            }
        }
    }

    struct Missed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "As servicer, report a missed payment of a loan.")
        @Option(help: "The pool.") var pool: Address
        @Option(help: "Loan id.") var loan: UInt64
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let (hash, _) = try call.send(pool, "markMissed(uint256)", [.uint(UInt256(loan))])
                print("missed payment of loan \(loan) reported (\(hash))")
            }
        }
    }

    struct Claim: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw what your tokens (or, as servicer, your fees) earned.")
        @Option(help: "The pool.") var pool: Address
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let (hash, logs) = try call.send(pool, "claim()", [])
                let amount = try ContractCall.eventData("Claimed(address,uint256)", from: pool, in: logs, types: [.uint(bits: 256)])
                JSONOutput.print(pretty: true, ["claimed": .string(amount?.first?.description ?? "0"), "transaction": .string(hash.description)])
            }
        }
    }

    struct View: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What your role may see: everyone the aggregates and your tokens; rating agencies each loan's performance; regulators also its asset and borrower.")
        @Option(help: "The pool.") var pool: Address
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let me = try call.account.signer()
                let u = ABIType.uint(bits: 256)
                let a = try call.view(pool, "aggregates()", returns: [u, u, u, u, u, u], from: me.address)
                let count = a[0].uintValue?.uint64 ?? 0
                func text(_ v: ABIValue) -> JSON { .string(v.description) }
                var out: [String: JSON] = [
                    "aggregates": ["loans": .int(clamping: count), "totalPrincipal": text(a[1]), "totalRepaid": text(a[2]), "fees": text(a[3]),
                                   "paidToSenior": text(a[4]), "paidToJunior": text(a[5])],
                    "you": ["address": .string(me.address.checksummed),
                            "seniorTokens": text(try call.view(pool, "balanceOf(uint256,address)", [.uint(.zero), .address(me.address)], returns: [u], from: me.address)[0]),
                            "juniorTokens": text(try call.view(pool, "balanceOf(uint256,address)", [.uint(.one), .address(me.address)], returns: [u], from: me.address)[0]),
                            "claimable": text(try call.view(pool, "claimable(address)", [.address(me.address)], returns: [u], from: me.address)[0])],
                ]
                let regulator = try call.view(pool, "isRegulator(address)", [.address(me.address)], returns: [.bool]).first == .bool(true)
                let agency = try call.view(pool, "isRatingAgency(address)", [.address(me.address)], returns: [.bool]).first == .bool(true)
                out["role"] = .string(regulator ? "regulator" : agency ? "ratingAgency" : "public")
                if regulator || agency {
                    out["loans"] = .array(try (0..<min(count, 1000)).map { id -> JSON in
                        let p = try call.view(pool, "loanPerformance(uint256)", [.uint(UInt256(id))], returns: [u, u, u, u, u], from: me.address)
                        var loan: [String: JSON] = ["loan": .int(clamping: id), "principal": text(p[0]), "rateBps": text(p[1]), "termMonths": text(p[2]),
                                                    "repaid": text(p[3]), "missed": text(p[4])]
                        if regulator {
                            let d = try call.view(pool, "loanDetails(uint256)", [.uint(UInt256(id))], returns: [u, .fixedBytes(32), u, u, u, u, u], from: me.address)
                            loan["asset"] = text(d[0])
                            let commitment = (try? H256(d[1].fixedBytesValue ?? [])) ?? .zero
                            let sealed = try call.view(pool, "borrowerData(uint256)", [.uint(UInt256(id))], returns: [.bytes], from: me.address).first?.bytesValue ?? []
                            loan["borrower"] = .optional((try? SealedClaim.open(sealed, with: me, claimHash: commitment)).map { String(decoding: $0.payload, as: UTF8.self) })
                        }
                        return .object(loan)
                    })
                }
                JSONOutput.print(pretty: true, .object(out))
            }
        }
    }
}
