import AnkrChain
import AnkrPrimitives

extension PoUWSealer {
    /// A PoUW seal decoded for people and explorers: the attestation, the statement and the raw bytes.
    /// Bytes that are not a PoUW seal (the empty seal of genesis) are shown as hex.
    public func describe(seal raw: [UInt8]) -> JSON {
        guard !raw.isEmpty, let seal = try? PoUWSeal(encoded: raw) else { return .string(raw.hexPrefixed) }
        let s = seal.statement
        return [
            "format": .string(seal.evidence.format.rawValue), "platformId": .string(seal.evidence.platformID.description),
            "measurement": .string(seal.evidence.report.measurement.description), "enclaveKey": .string(seal.evidence.enclaveKey.hexPrefixed),
            "templateHash": .string(s.templateHash.description), "target": .string(s.target.hexQuantity), "subtaskId": .string(s.subtaskID.description),
            "moduleHash": .string(s.moduleHash.description), "inputHash": .string(s.inputHash.description),
            "outputHash": .string(s.outputHash.description), "fuel": .string("0x" + String(s.fuel, radix: 16)), "win": .bool(s.win),
            "raw": .string(raw.hexPrefixed),
        ]
    }
}
