import AnkrChain
import AnkrCrypto
import AnkrIdentity
import AnkrPrimitives
import ArgumentParser
import Foundation

/// `ankr identity …`: smart identities, claims with sealed payloads, grants and the credit score.
struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity", abstract: "Smart identities: register, attest and revoke claims, grant viewers, read claims and credit scores.",
        subcommands: [Register.self, Show.self, ApproveIssuer.self, RevokeIssuer.self, TrustIssuer.self, DistrustIssuer.self, Attest.self, Revoke.self, Grant.self, RevokeGrant.self, Claims.self,
                      Score.self, ABIJSON.self])

    static let contract = IdentityContract.address
    static let interface = IdentityContract.interface

    /// `on-time` (1), `late` (2) or a number.
    static func claimType(_ text: String) throws -> UInt256 {
        switch text.lowercased() {
        case "on-time", "ontime", "paid-on-time": return IdentityContract.paymentOnTime
        case "late", "paid-late": return IdentityContract.paymentLate
        default:
            guard let v = try? UInt256(parsing: text) else { throw CommandFailure("--type is on-time, late or a number, not \(text)") }
            return v
        }
    }

    static func address(_ text: String, _ what: String) throws -> Address {
        guard let a = try? Address(hex: text) else { throw CommandFailure("\(what) is not an address: \(text)") }
        return a
    }

    /// A 32-byte hash given as 0x-hex, or the keccak-256 of the text.
    static func hash(_ text: String) -> [UInt8] {
        if text.hasPrefix("0x"), let b = try? Hex.decode(text), b.count == 32 { return b }
        return Keccak256.hash(Array(text.utf8))
    }

    /// A registered account's published encryption key.
    static func encryptionKey(of owner: Address, _ call: ContractCall) throws -> PublicKey {
        let id = try call.view(contract, interface, "identity", [.address(owner)])
        guard id[0] == .bool(true) else { throw CommandFailure("\(owner.checksummed) has no identity") }
        guard let key = try? PublicKey(id[2].bytesValue ?? []) else { throw CommandFailure("\(owner.checksummed) has published no encryption key") }
        return key
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create your identity and publish your account's public key for sealed claims.")
        @Option(help: "Metadata: a 0x 32-byte hash, or text whose keccak-256 is stored.") var metadata: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let key = try call.account.signer()
                let (hash, _) = try call.send(contract, interface, "register", [.fixedBytes(IdentityCommand.hash(metadata))])
                _ = try call.send(contract, interface, "setEncryptionKey", [.bytes(key.publicKey.uncompressed)])
                print("identity \(key.address.checksummed) registered (\(hash))")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An identity: registered, metadata hash, encryption key, claim count.")
        @Argument(help: "Address.") var owner: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let id = try call.view(contract, interface, "identity", [.address(try IdentityCommand.address(owner, "the owner"))])
                try JSONOutput.print(pretty: true, ["registered": id[0] == .bool(true), "metadataHash": (id[1].fixedBytesValue ?? []).hexPrefixed,
                                                   "encryptionKey": (id[2].bytesValue ?? []).hexPrefixed, "claims": id[3].uintValue?.description ?? "0"])
            }
        }
    }

    static func setApproval(_ issuerText: String, approve: Bool, _ call: ContractCall) throws {
        try reportingErrors {
            let issuer = try address(issuerText, "--issuer")
            let (hash, _) = try call.send(contract, interface, approve ? "approveIssuer" : "revokeIssuer", [.address(issuer)])
            print("\(issuer.checksummed) may make \(approve ? "claims" : "no new claims") about you (\(hash))")
        }
    }

    struct ApproveIssuer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve-issuer", abstract: "Let an issuer (a landlord, a lender, a lease contract) make claims about you.")
        @Option(help: "The issuer's address.") var issuer: String
        @OptionGroup var call: ContractCall

        func run() throws { try IdentityCommand.setApproval(issuer, approve: true, call) }
    }

    struct TrustIssuer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "trust-issuer",
                                                        abstract: "As a relying party, count an issuer's claims in the credit scores you read.")
        @Option(help: "The issuer's address.") var issuer: String
        @OptionGroup var call: ContractCall

        func run() throws { try IdentityCommand.setTrust(issuer, trust: true, call) }
    }

    struct DistrustIssuer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "distrust-issuer", abstract: "Stop counting an issuer's claims in the scores you read.")
        @Option(help: "The issuer's address.") var issuer: String
        @OptionGroup var call: ContractCall

        func run() throws { try IdentityCommand.setTrust(issuer, trust: false, call) }
    }

    static func setTrust(_ issuerText: String, trust: Bool, _ call: ContractCall) throws {
        try reportingErrors {
            let issuer = try address(issuerText, "--issuer")
            let (hash, _) = try call.send(contract, interface, trust ? "trustIssuer" : "distrustIssuer", [.address(issuer)])
            print("\(trust ? "trusting" : "no longer trusting") \(issuer.checksummed) (\(hash))")
        }
    }

    struct RevokeIssuer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-issuer", abstract: "Stop an issuer's new claims about you (its past claims stay).")
        @Option(help: "The issuer's address.") var issuer: String
        @OptionGroup var call: ContractCall

        func run() throws { try IdentityCommand.setApproval(issuer, approve: false, call) }
    }

    struct Attest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attest a claim about a subject; the payload is sealed to the subject, you and everyone the subject granted this claim type.")
        @Option(help: "The subject's address.") var subject: String
        @Option(help: "Claim type: on-time, late or a number.") var type: String
        @Option(help: "The claim's payload (text), committed to by hash and stored sealed.") var payload: String
        @Option(help: "Unix time the claim expires (0: never).") var expiry: UInt64 = 0
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let issuer = try call.account.signer()
                let subject = try IdentityCommand.address(self.subject, "--subject"), type = try IdentityCommand.claimType(self.type)
                let granted = try call.view(contract, interface, "grantees", [.address(subject), .uint(type)])[0].arrayValue?.compactMap(\.addressValue) ?? []
                var readers = [subject, issuer.address]
                for g in granted where !readers.contains(g) { readers.append(g) }
                let claim = SealedClaim(payload: Array(payload.utf8))
                var sealedReaders = [Address](), copies = [ABIValue]()
                for r in readers {
                    // A reader without a published key cannot get a copy; the claim still stands.
                    guard let key = try? IdentityCommand.encryptionKey(of: r, call) else { continue }
                    sealedReaders.append(r)
                    copies.append(.bytes(try claim.sealed(to: key)))
                }
                let (hash, logs) = try call.send(contract, interface, "attestSealed",
                                                 [.address(subject), .uint(type), .fixedBytes(claim.claimHash.bytes), .uint(UInt256(expiry)),
                                                  .array(sealedReaders.map(ABIValue.address)), .array(copies)])
                guard let topics = ContractCall.topics(of: "Attested", in: logs, interface: interface), topics.count > 1,
                      let id = try? UInt256(parsing: topics[1]) else { throw CommandFailure("no Attested event in \(hash)") }
                try JSONOutput.print(pretty: true, ["claimId": id.description, "transaction": hash, "claimHash": claim.claimHash.description,
                                                   "sealedFor": sealedReaders.map(\.checksummed)])
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a claim you issued.")
        @Option(help: "Claim id.") var claim: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                guard let id = try? UInt256(parsing: claim) else { throw CommandFailure("--claim is not a claim id") }
                let (hash, _) = try call.send(contract, interface, "revoke", [.uint(id)])
                print("claim \(id) revoked (\(hash))")
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a viewer read your claims of a type; your existing claims of that type are re-sealed to the viewer's key.")
        @Option(help: "The viewer's address.") var viewer: String
        @Option(help: "Claim type: on-time, late or a number.") var type: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let me = try call.account.signer()
                let viewer = try IdentityCommand.address(self.viewer, "--viewer"), type = try IdentityCommand.claimType(self.type)
                let viewerKey = try IdentityCommand.encryptionKey(of: viewer, call)
                let (hash, _) = try call.send(contract, interface, "grant", [.address(viewer), .uint(type)])
                var resealed = 0
                for claim in try ClaimList(subject: me.address, reader: me, call: call).claims where claim.type == type {
                    guard let opened = claim.opened else { continue }
                    _ = try call.send(contract, interface, "sealPayload", [.uint(claim.id), .address(viewer), .bytes(try opened.sealed(to: viewerKey))])
                    resealed += 1
                }
                print("\(viewer.checksummed) may read your claims of type \(type) (\(hash)); \(resealed) existing claim(s) sealed to it")
            }
        }
    }

    struct RevokeGrant: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-grant", abstract: "Withdraw a viewer's grant; its sealed copies are deleted.")
        @Option(help: "The viewer's address.") var viewer: String
        @Option(help: "Claim type: on-time, late or a number.") var type: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let viewer = try IdentityCommand.address(self.viewer, "--viewer"), type = try IdentityCommand.claimType(self.type)
                let (hash, _) = try call.send(contract, interface, "revokeGrant", [.address(viewer), .uint(type)])
                print("\(viewer.checksummed) may no longer read your claims of type \(type) (\(hash))")
            }
        }
    }

    struct Claims: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The claims about a subject you may see, with the payloads sealed to your key opened.")
        @Option(help: "The subject's address (default: yours).") var subject: String?
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let me = try call.account.signer()
                let subject = try self.subject.map { try IdentityCommand.address($0, "--subject") } ?? me.address
                let list = try ClaimList(subject: subject, reader: me, call: call)
                try JSONOutput.print(pretty: true, list.claims.map { c -> [String: Any] in
                    var o: [String: Any] = ["id": c.id.description, "issuer": c.issuer.checksummed, "type": c.type.description,
                                            "claimHash": c.claimHash.description, "expiry": c.expiry, "revoked": c.revoked]
                    if let opened = c.opened { o["payload"] = String(decoding: opened.payload, as: UTF8.self) } else { o["payload"] = NSNull() }
                    return o
                })
            }
        }
    }

    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A subject's credit score as a relying party sees it: payment claims by the issuers it trusts (300–850; 0 without such history).")
        @Argument(help: "The subject's address.") var subject: String
        @Option(name: .customLong("relying-party"), help: "Whose view: the address whose trusted issuers count.") var relyingParty: String
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let subject = try IdentityCommand.address(self.subject, "the subject")
                let party = try IdentityCommand.address(relyingParty, "--relying-party")
                let out = try call.view(contract, interface, "creditScore", [.address(subject), .address(party)])
                try JSONOutput.print(pretty: true, ["subject": subject.checksummed, "relyingParty": party.checksummed, "score": out[0].uintValue?.uint64 ?? 0,
                                                   "onTime": out[1].uintValue?.uint64 ?? 0, "late": out[2].uintValue?.uint64 ?? 0])
            }
        }
    }

    struct ABIJSON: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "abi", abstract: "Print the Identity contract's ABI JSON, as shipped in abi/Identity.json.")
        func run() throws { print(IdentityContract.interface.json, terminator: "") }
    }
}

/// The claims about `subject` that `reader` may see, each with its sealed copy opened when it can be.
struct ClaimList {
    struct Claim {
        var id: UInt256, issuer: Address, type: UInt256, claimHash: H256, expiry: UInt64, revoked: Bool
        var opened: SealedClaim?
    }

    let claims: [Claim]

    init(subject: Address, reader: PrivateKey, call: ContractCall) throws {
        let c = try call.view(IdentityContract.address, IdentityContract.interface, "claims", [.address(subject)], from: reader.address).map { $0.arrayValue ?? [] }
        guard c.count == 7, c.allSatisfy({ $0.count == c[0].count }) else { throw CommandFailure("the node answered malformed claims") }
        claims = (0..<c[0].count).map { i in
            let hash = (try? H256(c[3][i].fixedBytesValue ?? [])) ?? .zero
            let sealed = c[6][i].bytesValue ?? []
            return Claim(id: c[0][i].uintValue ?? .zero, issuer: c[1][i].addressValue ?? .zero, type: c[2][i].uintValue ?? .zero, claimHash: hash,
                         expiry: c[4][i].uintValue?.uint64 ?? 0, revoked: c[5][i] == .bool(true),
                         opened: sealed.isEmpty ? nil : try? SealedClaim.open(sealed, with: reader, claimHash: hash))
        }
    }
}
