import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives

/// The development chain `ankr node --dev` creates when its datadir is empty.
public enum DevGenesis {
    /// The chain id of development chains (DESIGN.md's example).
    public static let chainID: UInt64 = 7331
    /// The funded development key. It is public (EIP-155's example key): never use it on a real chain.
    public static let key = try! PrivateKey(hex: "0x4646464646464646464646464646464646464646464646464646464646464646")
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
        return Genesis(chainID: chainID, parameters: parameters, gasLimit: 30_000_000, baseFeePerGas: UInt256(1_000_000_000),
                       alloc: [key.address: .init(balance: balance)])
    }

    /// The same chain as geth-format JSON, written to the datadir so it can be inspected and reused.
    public static var json: String {
        """
        {
          "config": { "chainId": \(chainID), "ankr": { "blockTimeSeconds": 5, \(oracleJSON) } },
          "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1", "timestamp": "0x0", "extraData": "0x",
          "alloc": { "\(key.address.checksummed)": { "balance": "\(balance.hexQuantity)" } }
        }

        """
    }
}
