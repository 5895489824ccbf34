import AnkrChain
import AnkrPrimitives

extension EnclaveRegistry {
    private typealias P = ContractInterface.Parameter
    private typealias F = ContractInterface.Function

    /// The registry's Solidity interface; `abi/EnclaveRegistry.json` is generated from it.
    public static let interface = ContractInterface(
        functions: [
            F("register", [P("evidence", .bytes), P("role", .uint(bits: 8))], returns: [P("enclave", .address)]),
            F("postCollateral", [P("collateral", .bytes)]),
            F("registration", [P("enclave", .address), P("role", .uint(bits: 8))],
              returns: [P("registrant", .address), P("registeredAt", .uint(bits: 64)), P("expiresAt", .uint(bits: 64)), P("live", .bool),
                        P("key", .bytes), P("format", .string), P("measurement", .fixedBytes(32)), P("signer", .fixedBytes(32)),
                        P("platformId", .fixedBytes(32)), P("tcbStatus", .string)], .view),
            F("registrationBinding", [P("registrant", .address), P("role", .uint(bits: 8))], returns: [P("userData", .fixedBytes(32))], .view),
            F("collateral", [P("tdx", .bool), P("fmspc", .fixedBytes(6))], returns: [P("collateral", .bytes), P("tcbInfoIssueDate", .uint(bits: 64))], .view),
            F("isRevoked", [P("pckSerial", .bytes)], returns: [P("revoked", .bool)], .view),
            F("registrationPeriod", [], returns: [P("seconds", .uint(bits: 64))], .view),
        ],
        events: [
            .init("EnclaveRegistered", [P("enclave", .address, indexed: true), P("registrant", .address, indexed: true), P("role", .uint(bits: 8)),
                                        P("format", .string), P("measurement", .fixedBytes(32)), P("platformId", .fixedBytes(32)),
                                        P("expiresAt", .uint(bits: 64))]),
            .init("CollateralPosted", [P("poster", .address, indexed: true), P("tee", .string), P("fmspc", .fixedBytes(6)),
                                       P("tcbInfoIssueDate", .uint(bits: 64))]),
            .init("Revoked", [P("pckSerialHash", .fixedBytes(32), indexed: true), P("pckSerial", .bytes)]),
        ])
}
