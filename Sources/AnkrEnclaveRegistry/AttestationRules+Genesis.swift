import AnkrChain
import AnkrDCAP
import AnkrEnclave
import AnkrPrimitives

extension AttestationRules {
    /// The rules of `genesis`: its `config.ankr.attestation` section when present; otherwise derived
    /// from the settings genesis files had before it, so they keep working: miners from
    /// `config.ankr.attestationRoots`, `allowedMeasurements` and `allowSimulatedAttestation` (PoUW
    /// chains), oracles from the same keys of `config.ankr.oracle`. Throws a ``GenesisError`` naming
    /// the setting that is wrong.
    public init(genesis: Genesis) throws {
        if let section = genesis.parameters.attestation {
            try self.init(genesisSection: section)
            return
        }
        self.init()
        if case .pouw(let g) = genesis.parameters.consensus {
            miner.attestationRoots = g.attestationRoots
            miner.measurements = g.allowedMeasurements
            miner.allowSimulatedAttestation = g.allowSimulatedAttestation
        }
        // Only the attestation keys: AnkrOracle's `OracleRules` reads (and checks) the rest of the section.
        let oracleSection = try GenesisSection(genesis.parameters.oracle, at: "config.ankr.oracle")
        oracle.attestationRoots = try Self.roots(oracleSection) ?? []
        oracle.measurements = try oracleSection.list("measurements", of: "a 32-byte hash", { try H256(hex: $0) }) ?? []
        oracle.allowSimulatedAttestation = try oracleSection.bool("allowSimulatedAttestation") ?? false
    }

    /// `config.ankr.attestation`: `dcapRoot` (hex P-256 key, 65 bytes uncompressed), `acceptedStatuses`
    /// (TCB status names), `registrationPeriod` (seconds), `allowDebug`, and per role (`miner`,
    /// `oracle`) `measurements`, `signers` ([{"mrsigner", "minIsvSvn"}]), `mrtd`, `rtmrs` (lists of
    /// four RTMRs), `attestationRoots` and `allowSimulatedAttestation`.
    public init(genesisSection value: JSON) throws {
        let section = try GenesisSection(value, at: "config.ankr.attestation")
        try section.refuseUnknown(["dcapRoot", "acceptedStatuses", "registrationPeriod", "allowDebug", "miner", "oracle", "collateral"])
        self.init()
        if let root = try section.parsed("dcapRoot", as: "a 65-byte uncompressed P-256 public key", { text -> [UInt8] in
            let key = try Hex.decode(text, count: 65)
            guard key[0] == 0x04 else { throw GenesisError.malformed(path: section.path(of: "dcapRoot"), expected: "an uncompressed key") }
            return key
        }) {
            dcapRoot = root
        }
        if let names = try section.list("acceptedStatuses", of: "a TCB status (\(TCBStatus.allCases.map(\.rawValue).joined(separator: ", ")))", {
            guard let status = TCBStatus(rawValue: $0) else { throw GenesisError.malformed(path: section.path(of: "acceptedStatuses"), expected: "a TCB status") }
            return status
        }) {
            acceptedStatuses = Set(names)
        }
        if let period = try section.uint64("registrationPeriod") {
            guard period > 0 else { throw GenesisError.outOfRange(path: section.path(of: "registrationPeriod"), must: "be positive") }
            registrationPeriod = period
        }
        if let allow = try section.bool("allowDebug") { allowDebug = allow }
        miner = try Self.role(section.section("miner"))
        oracle = try Self.role(section.section("oracle"))
        if let value = section["collateral"] {
            let path = section.path(of: "collateral")
            guard let documents = value.array else { throw GenesisError.wrongType(path: path, expected: "a list of collateral documents") }
            guard documents.count <= Self.maxGenesisCollateral else {
                throw GenesisError.outOfRange(path: path, must: "hold at most \(Self.maxGenesisCollateral) documents")
            }
            for (i, document) in documents.enumerated() {
                // Only the platform model is read here; the documents' signatures are checked whenever a quote is verified with them.
                guard let collateral = try? Collateral(json: document.serialized()), let key = CollateralKey(collateral: collateral) else {
                    throw GenesisError.malformed(path: "\(path)[\(i)]", expected: "a DCAP collateral document (the dcap-qvl JSON layout)")
                }
                genesisCollateral[key] = collateral
            }
        }
    }

    private static func role(_ section: GenesisSection) throws -> Role {
        try section.refuseUnknown(["measurements", "signers", "mrtd", "rtmrs", "attestationRoots", "allowSimulatedAttestation"])
        var role = Role()
        role.measurements = try section.list("measurements", of: "a 32-byte hash", { try H256(hex: $0) }) ?? []
        role.mrtd = try section.list("mrtd", of: "a 48-byte MRTD", { try Hex.decode($0, count: 48) }) ?? []
        role.attestationRoots = try roots(section) ?? []
        role.allowSimulatedAttestation = try section.bool("allowSimulatedAttestation") ?? false
        if let value = section["rtmrs"] {
            guard let tuples = value.array else { throw GenesisError.wrongType(path: section.path(of: "rtmrs"), expected: "a list") }
            role.rtmrs = try tuples.enumerated().map { i, tuple in
                let registers = tuple.array?.compactMap { $0.string.flatMap { try? Hex.decode($0, count: 48) } }
                guard let registers, registers.count == 4, tuple.array?.count == 4 else {
                    throw GenesisError.malformed(path: "\(section.path(of: "rtmrs"))[\(i)]", expected: "a list of four 48-byte RTMRs")
                }
                return registers
            }
        }
        // MRTD measures only the TD's firmware: without RTMRs any kernel and user space on it would register.
        if !role.mrtd.isEmpty && role.rtmrs.isEmpty {
            throw GenesisError.missing(path: section.path(of: "rtmrs"))
        }
        if let value = section["signers"] {
            guard let entries = value.array else { throw GenesisError.wrongType(path: section.path(of: "signers"), expected: "a list") }
            role.signers = try entries.enumerated().map { i, entry in
                let signer = try GenesisSection(entry, at: "\(section.path(of: "signers"))[\(i)]")
                try signer.refuseUnknown(["mrsigner", "minIsvSvn"])
                guard let mrSigner = try signer.parsed("mrsigner", as: "a 32-byte hash", { try H256(hex: $0) }) else {
                    throw GenesisError.missing(path: signer.path(of: "mrsigner"))
                }
                let svn = try signer.uint64("minIsvSvn") ?? 0
                guard svn <= UInt64(UInt16.max) else { throw GenesisError.outOfRange(path: signer.path(of: "minIsvSvn"), must: "fit 16 bits") }
                return AllowedSigner(mrSigner: mrSigner, minISVSVN: UInt16(svn))
            }
        }
        return role
    }

    private static func roots(_ section: GenesisSection) throws -> [[UInt8]]? {
        try section.list("attestationRoots", of: "a 33-byte compressed public key", { try Hex.decode($0, count: 33) })
    }
}
