import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives

/// The development chain `ankr node --dev` creates when its datadir is empty, and the public development
/// keys it and `ankr devnet` fund and unlock.
public enum DevGenesis {
    /// The chain id of development chains (DESIGN.md's example).
    public static let chainID: UInt64 = 7331
    /// The funded development key. It is public (EIP-155's example key): never use it on a real chain.
    public static let key = try! PrivateKey(hex: "0x4646464646464646464646464646464646464646464646464646464646464646")
    /// Every development key, public like ``key``: ``key`` and the five more `ankr devnet` funds. On a
    /// chain that marks itself a development chain these are the accounts the node unlocks (``unlockedKeys(genesis:)``).
    public static let accountKeys: [PrivateKey] =
        [key] + (1...5).compactMap { try? PrivateKey(Keccak256.hash(Array("ankr-devnet-\($0)".utf8))) }
    /// The enclave a simulated miner runs; its measurement is what devnet genesis allows.
    public static let minerEnclaveName = "ankr-miner-v1"

    /// The attestation root of development oracle enclaves. Public, like the key above: `ankr oracle
    /// run --dev` certifies its simulated platform with it; never trust it on a real chain.
    public static let oracleAttestationRoot = try! PrivateKey(hex: "0x" + String(repeating: "0a", count: 32))
    /// The oracle enclave a development relay runs; dev genesis allows its measurement.
    public static let oracleEnclaveName = "ankr-oracle-v1"

    /// 1,000,000 ANKR.
    public static let balance = UInt256(1_000_000).multipliedReportingOverflow(by: UInt256(1_000_000_000_000_000_000)).partialValue

    /// `config.ankr.oracle` of development chains, as ``genesis`` carries it (``oracleJSON`` is its text).
    static var oracleSection: JSON {
        ["attestationRoots": [.string(oracleAttestationRoot.publicKey.compressed.hexPrefixed)],
         "measurements": [.string(SimulatedEnclave.measurement(named: oracleEnclaveName).description)], "allowSimulatedAttestation": true]
    }

    /// `config.ankr.oracle` of development chains: the development oracle root and enclave.
    public static var oracleJSON: String {
        """
        "oracle": { "attestationRoots": ["\(oracleAttestationRoot.publicKey.compressed.hexPrefixed)"], \
        "measurements": ["\(SimulatedEnclave.measurement(named: oracleEnclaveName))"], "allowSimulatedAttestation": true }
        """
    }

    public static var genesis: Genesis {
        var parameters = ChainParameters()
        parameters.oracle = oracleSection
        parameters.unlockDevAccounts = true
        return Genesis(chainID: chainID, parameters: parameters, gasLimit: 30_000_000, baseFeePerGas: UInt256(1_000_000_000),
                       alloc: [key.address: .init(balance: balance)])
    }

    /// `config.ankr.unlockDevAccounts` as `ankr node --dev` and `ankr devnet` write it into their genesis: the
    /// one mark of a development chain, so a genesis written by hand never unlocks a key by accident.
    public static let unlockJSON = "\"unlockDevAccounts\": true"

    /// The keys a node on `genesis` signs with for JSON-RPC callers (`eth_accounts`, `eth_sendTransaction`,
    /// `eth_sign`, …): the ``accountKeys`` that `genesis` funds, when it sets `config.ankr.unlockDevAccounts`;
    /// none on any other chain, even one that funds the very same keys.
    public static func unlockedKeys(genesis: Genesis) -> [PrivateKey] {
        guard genesis.parameters.unlockDevAccounts else { return [] }
        return accountKeys.filter { !(genesis.alloc[$0.address]?.balance ?? .zero).isZero }
    }

    /// The same chain as geth-format JSON, written to the datadir so it can be inspected and reused.
    public static var json: String {
        """
        {
          "config": { "chainId": \(chainID), "ankr": { "blockTimeSeconds": 5, \(unlockJSON), \(oracleJSON) } },
          "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1", "timestamp": "0x0", "extraData": "0x",
          "alloc": { "\(key.address.checksummed)": { "balance": "\(balance.hexQuantity)" } }
        }

        """
    }
}
