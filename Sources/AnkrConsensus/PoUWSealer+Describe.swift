import AnkrChain
import AnkrCrypto
import AnkrPrimitives

extension PoUWSealer {
    /// A PoUW seal decoded for people and explorers: the enclave (the statement's signer), its platform, the
    /// format of the evidence when the seal carries some (an unregistered enclave), the statement and the raw bytes.
    /// Bytes that are not a PoUW seal (the empty seal of genesis) are shown as hex.
    public func describe(seal raw: [UInt8]) -> JSON {
        guard !raw.isEmpty, let seal = try? PoUWSeal(encoded: raw) else { return .string(raw.hexPrefixed) }
        let s = seal.statement
        let enclave = (try? Signature(rsv: seal.signature)).flatMap { try? $0.recoverPublicKey(hash: s.hash) }
        return [
            "enclave": enclave.map { .string($0.address.checksummed) } ?? .null, "platformId": .string(seal.platformID.description),
            "evidence": seal.evidence.map { .string($0.format.rawValue) } ?? .null,
            "templateHash": .string(s.templateHash.description), "target": .string(s.target.hexQuantity), "subtaskId": .string(s.subtaskID.description),
            "moduleHash": .string(s.moduleHash.description), "inputHash": .string(s.inputHash.description),
            "outputHash": .string(s.outputHash.description), "fuel": .string("0x" + String(s.fuel, radix: 16)), "win": .bool(s.win),
            "raw": .string(raw.hexPrefixed),
        ]
    }
}
