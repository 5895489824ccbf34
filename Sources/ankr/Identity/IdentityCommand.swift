import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrIdentity
import AnkrPrimitives
import AnkrRPC
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
        @Argument(help: "Address.") var owner: Address
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let id = try call.view(contract, interface, "identity", [.address(owner)])
                JSONOutput.print(pretty: true, ["registered": .bool(id[0] == .bool(true)), "metadataHash": .string((id[1].fixedBytesValue ?? []).hexPrefixed),
                                                "encryptionKey": .string((id[2].bytesValue ?? []).hexPrefixed), "claims": .string(id[3].uintValue?.description ?? "0")])
            }
        }
    }

    static func setApproval(_ issuer: Address, approve: Bool, _ call: ContractCall) throws {
        try reportingErrors {
            let (hash, _) = try call.send(contract, interface, approve ? "approveIssuer" : "revokeIssuer", [.address(issuer)])
            print("\(issuer.checksummed) may make \(approve ? "claims" : "no new claims") about you (\(hash))")
        }
    }

    struct ApproveIssuer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve-issuer", abstract: "Let an issuer (a landlord, a lender, a lease contract) make claims about you.")
        @Option(help: "The issuer's address.") var issuer: Address
        @OptionGroup var call: ContractCall

        func run() throws { try IdentityCommand.setApproval(issuer, approve: true, call) }
    }

    struct TrustIssuer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "trust-issuer",
                                                        abstract: "As a relying party, count an issuer's claims in the credit scores you read.")
        @Option(help: "The issuer's address.") var issuer: Address
        @OptionGroup var call: ContractCall

        func run() throws { try IdentityCommand.setTrust(issuer, trust: true, call) }
    }

    struct DistrustIssuer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "distrust-issuer", abstract: "Stop counting an issuer's claims in the scores you read.")
        @Option(help: "The issuer's address.") var issuer: Address
        @OptionGroup var call: ContractCall

        func run() throws { try IdentityCommand.setTrust(issuer, trust: false, call) }
    }

    static func setTrust(_ issuer: Address, trust: Bool, _ call: ContractCall) throws {
        try reportingErrors {
            let (hash, _) = try call.send(contract, interface, trust ? "trustIssuer" : "distrustIssuer", [.address(issuer)])
            print("\(trust ? "trusting" : "no longer trusting") \(issuer.checksummed) (\(hash))")
        }
    }

    struct RevokeIssuer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-issuer", abstract: "Stop an issuer's new claims about you (its past claims stay).")
        @Option(help: "The issuer's address.") var issuer: Address
        @OptionGroup var call: ContractCall

        func run() throws { try IdentityCommand.setApproval(issuer, approve: false, call) }
    }

    struct Attest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attest a claim about a subject; the payload is sealed to the subject, you and everyone the subject granted this claim type.")
        @Option(help: "The subject's address.") var subject: Address
        @Option(help: "Claim type: on-time, late or a number.") var type: ClaimType
        @Option(help: "The claim's payload (text), committed to by hash and stored sealed.") var payload: String
        @Option(help: "Unix time the claim expires (0: never).") var expiry: UInt64 = 0
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let issuer = try call.account.signer()
                let type = self.type.value
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
                guard let topics = ContractCall.topics(of: "Attested", in: logs, interface: interface), topics.count > 1 else {
                    throw CommandFailure("no Attested event in \(hash)")
                }
                JSONOutput.print(pretty: true, ["claimId": .string(topics[1].word.description), "transaction": .string(hash.description),
                                                "claimHash": .string(claim.claimHash.description), "sealedFor": .array(sealedReaders.map { .string($0.checksummed) })])
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a claim you issued.")
        @Option(help: "Claim id.") var claim: UInt256
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let (hash, _) = try call.send(contract, interface, "revoke", [.uint(claim)])
                print("claim \(claim) revoked (\(hash))")
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a viewer read your claims of a type; your existing claims of that type are re-sealed to the viewer's key.")
        @Option(help: "The viewer's address.") var viewer: Address
        @Option(help: "Claim type: on-time, late or a number.") var type: ClaimType
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let me = try call.account.signer()
                let type = self.type.value
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
        @Option(help: "The viewer's address.") var viewer: Address
        @Option(help: "Claim type: on-time, late or a number.") var type: ClaimType
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let type = self.type.value
                let (hash, _) = try call.send(contract, interface, "revokeGrant", [.address(viewer), .uint(type)])
                print("\(viewer.checksummed) may no longer read your claims of type \(type) (\(hash))")
            }
        }
    }

    struct Claims: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The claims about a subject you may see, with the payloads sealed to your key opened.")
        @Option(help: "The subject's address (default: yours).") var subject: Address?
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let me = try call.account.signer()
                let list = try ClaimList(subject: subject ?? me.address, reader: me, call: call)
                JSONOutput.print(pretty: true, .array(list.claims.map { c -> JSON in
                    ["id": .string(c.id.description), "issuer": .string(c.issuer.checksummed), "type": .string(c.type.description),
                     "claimHash": .string(c.claimHash.description), "expiry": .int(clamping: c.expiry), "revoked": .bool(c.revoked),
                     "payload": .optional(c.opened.map { String(decoding: $0.payload, as: UTF8.self) })]
                }))
            }
        }
    }

    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A subject's credit score as a relying party sees it: payment claims by the issuers it trusts (300–850; 0 without such history).")
        @Argument(help: "The subject's address.") var subject: Address
        @Option(name: .customLong("relying-party"), help: "Whose view: the address whose trusted issuers count.") var relyingParty: Address
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let out = try call.view(contract, interface, "creditScore", [.address(subject), .address(relyingParty)])
                JSONOutput.print(pretty: true, ["subject": .string(subject.checksummed), "relyingParty": .string(relyingParty.checksummed),
                                                "score": .int(clamping: out[0].uintValue?.uint64 ?? 0), "onTime": .int(clamping: out[1].uintValue?.uint64 ?? 0),
                                                "late": .int(clamping: out[2].uintValue?.uint64 ?? 0)])
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
