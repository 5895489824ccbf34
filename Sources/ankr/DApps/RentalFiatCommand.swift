import AnkrCommandLine
import AnkrCrypto
import AnkrIdentity
import AnkrOracle
import AnkrPrimitives
import ArgumentParser
import Foundation

/// Rent paid in fiat through a bank (white paper §4.5, §6.1): the oracle's payment-proof datagram
/// proves the transfer, and the lease records it on the tenant's identity like a child-chain payment.
extension RentalCommand {
    struct FiatTerms: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fiat-terms",
            abstract: "As the landlord, before the tenant signs, take the rent in fiat too: amount, currency, your account at a bank and the transfers' reference.")
        @Option(help: "The agreement's address.") var agreement: Address
        @Option(help: "Rent in the currency's units (1200.00).") var amount: String
        @Option(help: "ISO 4217 currency code.") var currency: String
        @Option(help: "The bank's API host (host[:port]) the oracle asks.") var bank: String
        @Option(name: .customLong("creditor-account"), help: "Your account at the bank (IBAN or sort code + account number); only its hash goes on chain.")
        var creditorAccount: String
        @OptionGroup var account: CreditorAccountOptions
        @Option(help: "Reference prefix, 0-6 of A-Z 0-9: month m's transfer carries the prefix and hex digits bound to the lease and m, 18 characters (`rental status` and fiatReferenceFor(m) show it).")
        var reference = ""
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let currency = currency.uppercased()
                guard PaymentProof.isCurrencyCode(currency), let minor = PaymentProof.minorUnits(amount, currency: currency), !minor.isZero else {
                    throw CommandFailure("--amount \(amount) --currency \(currency) is no positive amount of an ISO 4217 currency")
                }
                let prefix = reference.uppercased()
                guard prefix.utf8.count <= 6, prefix.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                    throw CommandFailure("--reference is a prefix of at most 6 letters and digits (banks keep 18 characters of a reference)")
                }
                let hash = PaymentProof.accountHash(scheme: account.scheme(for: creditorAccount), identification: creditorAccount, secondary: account.secondary)
                let (tx, _) = try call.send(agreement, "setFiatTerms(uint256,string,string,bytes32,string)",
                                            [.uint(minor), .string(currency), .string(bank.lowercased()), .fixedBytes(hash.bytes), .string(prefix)])
                JSONOutput.print(pretty: true, ["agreement": .string(agreement.checksummed), "amountMinor": .string(minor.description), "currency": .string(currency),
                                                "bank": .string(bank.lowercased()), "creditorAccountHash": .string(hash.bytes.hexPrefixed),
                                                "transaction": .string(tx.description)])
            }
        }
    }

    struct ProveFiat: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove-fiat",
            abstract: "As landlord or tenant, prove a month's fiat rent: the oracle asks the bank (your token sealed to its enclave), and a settled transfer becomes an on-time or late claim on the tenant's identity.")
        @Option(help: "The agreement's address.") var agreement: Address
        @Option(help: "The month (0 is the first).") var month: UInt64
        @Option(help: "The bank's payment-status URL for the transfer (https).") var url: String
        @Option(name: .customLong("creditor-account"), help: "The landlord's account the transfer went to (checked against the lease's hash).")
        var creditorAccount: String
        @OptionGroup var account: CreditorAccountOptions
        @OptionGroup var secrets: SecretHeaderOptions
        @Option(help: "NOS's escrow: wei or with a unit (default: what the cap needs); the unspent part is refunded to the lease (withdraw-refund).")
        var fee: Amount?
        @Option(name: .customLong("max-gas-price"), help: "The most NOS may pay a relay per gas of the delivery (default: twice the head's base fee).")
        var maxGasPrice: Amount?
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let terms = try Terms(agreement, call)
                guard terms.signed else { throw CommandFailure("the tenant has not signed \(agreement.checksummed)") }
                func one(_ signature: String, _ type: ABIType, _ args: [ABIValue] = []) throws -> ABIValue {
                    guard let v = try call.view(agreement, signature, args, returns: [type]).first else { throw CommandFailure("\(agreement.checksummed) answered nothing to \(signature)") }
                    return v
                }
                let amount = try one("fiatAmount()", .uint(bits: 256)).uintValue ?? .zero
                guard !amount.isZero, case .string(let currency) = try one("fiatCurrency()", .string),
                      case .string(let reference) = try one("fiatReferenceFor(uint256)", .string, [.uint(UInt256(month))]) else {
                    throw CommandFailure("\(agreement.checksummed) takes no fiat rent")
                }
                let scheme = account.scheme(for: creditorAccount)
                let accountHash = PaymentProof.accountHash(scheme: scheme, identification: creditorAccount, secondary: account.secondary)
                guard try one("fiatAccountHash()", .fixedBytes(32)).fixedBytesValue == accountHash.bytes else {
                    throw CommandFailure("--creditor-account (with its scheme \(scheme) and secondary identification) is not the account the lease names")
                }
                let query: PaymentQuery
                do {
                    query = try PaymentQuery(url: url, reference: reference, amount: amount, currency: currency, creditorAccount: creditorAccount,
                                             creditorScheme: scheme, creditorSecondary: account.secondary)
                } catch {
                    throw CommandFailure("\(error)")
                }
                let key = try call.view(NOSContract.address, "oracleKey()", returns: [.address, .bytes])
                guard let bytes = key[1].bytesValue, let enclaveKey = try? PublicKey(bytes) else { throw CommandFailure("no oracle enclave is registered") }
                // No readers: the lease reads the answer in its callback. The URL, token and account stay sealed, bound to the
                // lease as the requester: copied into another lease's (or anyone's) request, the enclave refuses them.
                let sealed = try OraclePrivateEnvelope(params: try query.encoded(), readers: [], headers: try secrets.headers(), requester: agreement)
                    .sealed(to: enclaveKey)
                // The lease asks with NOS's capped request: a relay is reimbursed at most `cap` per gas, whatever the escrow.
                let requestType = OracleRequestKind.payment.rawValue | OracleRequestKind.privateFlag
                let cap = try maxGasPrice?.wei ?? OracleCommand.defaultGasPriceCap(call)
                let needed = try OracleCommand.requiredEscrow(type: requestType, callback: true, cap: cap, call)
                let value = fee?.wei ?? needed
                guard value >= needed else { throw CommandFailure("--fee \(value) wei is below the \(needed) wei a cap of \(cap) wei per gas needs") }
                let (hash, logs) = try call.send(agreement, "proveFiatRent(uint256,bytes,uint256)", [.uint(UInt256(month)), .bytes(sealed), .uint(cap)], value: value)
                let requested = Keccak256.h256(Array("FiatProofRequested(uint256,uint256,address)".utf8))
                guard let log = logs.first(where: { $0.address == agreement && $0.topics.first == requested }), log.topics.count > 2 else {
                    throw CommandFailure("no FiatProofRequested event in \(hash)")
                }
                let id = log.topics[2].word
                // The answer arrives in NOS's callback: proven, or rejected with a reason.
                let deadline = Date().addingTimeInterval(120)
                var outcome: (proven: Bool, settledAt: UInt256, why: String)?
                while outcome == nil, Date() < deadline {
                    let r = try call.view(NOSContract.address, "getResponse(uint256)", [.uint(id)], returns: [.uint(bits: 8), .uint(bits: 64), .bytes])
                    if r[0].uintValue == UInt256(NOSContract.Status.delivered.rawValue) {
                        if try one("fiatProofOf(uint256)", .uint(bits: 256), [.uint(UInt256(month))]).uintValue == id {
                            outcome = (true, try one("fiatSettledAt(uint256)", .uint(bits: 256), [.uint(UInt256(month))]).uintValue ?? .zero, "")
                        } else {
                            let error = r[1].uintValue?.uint64 ?? 0
                            let proof = PaymentProof(decoding: r[2].bytesValue ?? [])
                            let said = error != 0 ? "the oracle answered \(OracleErrorCode(rawValue: error).map { "\($0)" } ?? "error \(error)")"
                                : proof.map { "the bank says settled=\($0.settled), \($0.amount) \($0.currency) minor units, reference \($0.reference)" } ?? "no payment proof"
                            outcome = (false, .zero, said)
                        }
                    } else {
                        Thread.sleep(forTimeInterval: 0.3)
                    }
                }
                guard let outcome else { throw CommandFailure("request \(id) was not answered within 120 s") }
                guard outcome.proven else { throw CommandFailure("request \(id) does not prove month \(month)'s rent: \(OracleCommand.printable(outcome.why))") }
                let type = try one("claimTypeFor(uint256,uint256)", .uint(bits: 256), [.uint(UInt256(month)), .uint(outcome.settledAt)]).uintValue ?? .zero
                let onTime = type == IdentityContract.paymentOnTime
                let text = "rent for month \(month) of lease \(agreement.checksummed): \(amount) \(currency) minor units to the landlord's account, "
                    + "settled at \(outcome.settledAt) as the bank's datagram (NOS request \(id)) proves, \(onTime ? "on time" : "late")"
                let claim = SealedClaim(payload: Array(text.utf8))
                let copies = try DAppArguments.sealedCopies(of: claim, about: terms.tenant, claimType: type, call)
                let (recordHash, recordLogs) = try call.send(agreement, "recordFiatPayment(uint256,bytes32,address[],bytes[])",
                                                             [.uint(UInt256(month)), .fixedBytes(claim.claimHash.bytes), .array(copies.readers.map(ABIValue.address)),
                                                              .array(copies.copies.map(ABIValue.bytes))])
                let recorded = try ContractCall.eventData("FiatPaymentRecorded(uint256,bool,uint256,uint256,uint256)", from: agreement, in: recordLogs,
                                                          types: [.bool, .uint(bits: 256), .uint(bits: 256), .uint(bits: 256)])
                JSONOutput.print(pretty: true, ["month": .int(clamping: month), "onTime": .bool(onTime), "requestId": .string(id.description),
                                                "settledAt": .int(clamping: outcome.settledAt.uint64 ?? 0), "claimId": .string(recorded?[3].uintValue?.description ?? ""),
                                                "sealedFor": .array(copies.readers.map { .string($0.checksummed) }), "transaction": .string(recordHash.description)])
            }
        }
    }

    struct CancelFiatProof: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel-fiat",
            abstract: "As landlord or tenant, cancel a payment-proof request NOS left unanswered for 50 blocks; its escrow (less NOS's cancellation fee) goes to whoever paid it (withdraw-refund).")
        @Option(help: "The agreement's address.") var agreement: Address
        @Option(name: .customLong("request"), help: "The NOS request id prove-fiat made.") var request: UInt256
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let (hash, logs) = try call.send(agreement, "cancelFiatProof(uint256)", [.uint(request)])
                let cancelled = try ContractCall.eventData("FiatProofCancelled(uint256,uint256,uint256)", from: agreement, in: logs, types: [.uint(bits: 256)])
                JSONOutput.print(pretty: true, ["request": .string(request.description), "refund": .string(cancelled?[0].uintValue?.description ?? "0"),
                                                "transaction": .string(hash.description)])
            }
        }
    }

    struct WithdrawRefund: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "withdraw-refund", abstract: "Withdraw what NOS refunded to the lease of the fees you paid for payment proofs.")
        @Option(help: "The agreement's address.") var agreement: Address
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let me = try call.account.signer().address
                let owed = try call.view(agreement, "withdrawRefund()", [], returns: [.uint(bits: 256)], from: me).first?.uintValue ?? .zero
                let (hash, _) = try call.send(agreement, "withdrawRefund()", [])
                JSONOutput.print(pretty: true, ["refund": .string(owed.description), "transaction": .string(hash.description)])
            }
        }
    }
}
