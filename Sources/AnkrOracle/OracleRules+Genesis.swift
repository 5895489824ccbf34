import AnkrChain
import AnkrPrimitives

extension OracleRules {
    /// The rules a genesis file sets in `config.ankr.oracle` (nil or absent: the defaults). Refuses
    /// unknown settings, keys and hashes of the wrong length, and a cancellation fee above the
    /// minimum fee, with a ``GenesisError`` naming the setting.
    public init(genesisSection value: JSON?) throws {
        let section = try GenesisSection(value, at: "config.ankr.oracle")
        try section.refuseUnknown(["attestationRoots", "measurements", "allowSimulatedAttestation", "minimumFee", "cancellationFee", "treasury",
                                 "quorumDeviationBps", "maxReimbursedTip"])
        self.init()
        // The attestation keys are the registry's (AttestationRules derives the oracle role from them);
        // checked here too, so a node refuses the whole section the moment it reads it.
        _ = try section.list("attestationRoots", of: "a 33-byte compressed public key", { try Hex.decode($0, count: 33) })
        _ = try section.list("measurements", of: "a 32-byte hash", { try H256(hex: $0) })
        _ = try section.bool("allowSimulatedAttestation")
        if let fee = try section.quantity("minimumFee") { minimumFee = fee }
        if let fee = try section.quantity("cancellationFee") { cancellationFee = fee }
        guard cancellationFee <= minimumFee else {
            throw GenesisError.conflict(path: section.path(of: "cancellationFee"), rule: "must not exceed minimumFee")
        }
        if let address = try section.address("treasury") { treasury = address }
        if let tip = try section.quantity("maxReimbursedTip") { maxReimbursedTip = tip }
        if let bps = try section.quantity("quorumDeviationBps") {
            guard let value = bps.uint64, value <= 10_000 else {
                throw GenesisError.outOfRange(path: section.path(of: "quorumDeviationBps"), must: "be at most 10000 (100%)")
            }
            quorumDeviationBps = value
        }
    }
}
