import AnkrChain
import AnkrPrimitives

extension IdentityContract {
    private typealias P = ContractInterface.Parameter

    /// The contract's Solidity interface; `abi/Identity.json` is generated from it.
    public static let interface = ContractInterface(
        functions: [
            .init("register", [P("metadataHash", .fixedBytes(32))]),
            .init("setEncryptionKey", [P("publicKey", .bytes)]),
            .init("approveIssuer", [P("issuer", .address)]),
            .init("revokeIssuer", [P("issuer", .address)]),
            .init("attest", [P("subject", .address), P("claimType", .uint(bits: 256)), P("claimHash", .fixedBytes(32)), P("expiry", .uint(bits: 64))],
                  returns: [P("claimId", .uint(bits: 256))]),
            .init("attestSealed", [P("subject", .address), P("claimType", .uint(bits: 256)), P("claimHash", .fixedBytes(32)), P("expiry", .uint(bits: 64)),
                                   P("readers", .array(.address)), P("payloads", .array(.bytes))],
                  returns: [P("claimId", .uint(bits: 256))]),
            .init("sealPayload", [P("claimId", .uint(bits: 256)), P("reader", .address), P("payload", .bytes)]),
            .init("trustIssuer", [P("issuer", .address)]),
            .init("distrustIssuer", [P("issuer", .address)]),
            .init("revoke", [P("claimId", .uint(bits: 256))]),
            .init("grant", [P("viewer", .address), P("claimType", .uint(bits: 256))]),
            .init("revokeGrant", [P("viewer", .address), P("claimType", .uint(bits: 256))]),
            .init("identity", [P("owner", .address)],
                  returns: [P("registered", .bool), P("metadataHash", .fixedBytes(32)), P("encryptionKey", .bytes), P("claimCount", .uint(bits: 256))],
                  .view),
            .init("claims", [P("subject", .address)],
                  returns: [P("ids", .array(.uint(bits: 256))), P("issuers", .array(.address)), P("claimTypes", .array(.uint(bits: 256))),
                            P("claimHashes", .array(.fixedBytes(32))), P("expiries", .array(.uint(bits: 64))), P("revoked", .array(.bool)),
                            P("sealedPayloads", .array(.bytes))], .view),
            .init("isApprovedIssuer", [P("subject", .address), P("issuer", .address)], returns: [P("approved", .bool)], .view),
            .init("isTrustedIssuer", [P("party", .address), P("issuer", .address)], returns: [P("trusted", .bool)], .view),
            .init("canView", [P("subject", .address), P("viewer", .address), P("claimType", .uint(bits: 256))], returns: [P("allowed", .bool)], .view),
            .init("grantees", [P("subject", .address), P("claimType", .uint(bits: 256))], returns: [P("viewers", .array(.address))], .view),
            .init("creditScore", [P("subject", .address), P("relyingParty", .address)],
                  returns: [P("score", .uint(bits: 256)), P("onTime", .uint(bits: 256)), P("late", .uint(bits: 256))], .view),
            .init("claimCount", [], returns: [P("count", .uint(bits: 256))], .view),
        ],
        events: [
            .init("Registered", [P("owner", .address, indexed: true), P("metadataHash", .fixedBytes(32))]),
            .init("EncryptionKeySet", [P("owner", .address, indexed: true), P("publicKey", .bytes)]),
            .init("Attested", [P("claimId", .uint(bits: 256), indexed: true), P("subject", .address, indexed: true), P("issuer", .address, indexed: true),
                               P("claimType", .uint(bits: 256)), P("claimHash", .fixedBytes(32)), P("expiry", .uint(bits: 64))]),
            .init("PayloadSealed", [P("claimId", .uint(bits: 256), indexed: true), P("reader", .address, indexed: true)]),
            .init("Revoked", [P("claimId", .uint(bits: 256), indexed: true), P("issuer", .address, indexed: true)]),
            .init("IssuerApproved", [P("subject", .address, indexed: true), P("issuer", .address, indexed: true), P("approved", .bool)]),
            .init("IssuerTrusted", [P("party", .address, indexed: true), P("issuer", .address, indexed: true), P("trusted", .bool)]),
            .init("Granted", [P("subject", .address, indexed: true), P("viewer", .address, indexed: true), P("claimType", .uint(bits: 256))]),
            .init("GrantRevoked", [P("subject", .address, indexed: true), P("viewer", .address, indexed: true), P("claimType", .uint(bits: 256))]),
        ])
}
