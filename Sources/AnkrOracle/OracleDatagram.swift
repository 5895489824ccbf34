import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives

/// What the oracle enclave signs: the answer to one request, bound to the chain, the NOS contract,
/// the request id and the hash of the request's params, so it can be replayed nowhere else.
/// `error` is 0 for success; the data is the ABI-encoded answer (or empty on error).
public struct OracleDatagram: Hashable, Sendable {
    public var chainID: UInt64
    public var contract: Address
    public var requestID: UInt256
    public var paramsHash: H256
    public var error: UInt64
    public var data: [UInt8]

    public init(chainID: UInt64, contract: Address, requestID: UInt256, paramsHash: H256, error: UInt64, data: [UInt8]) {
        self.chainID = chainID; self.contract = contract; self.requestID = requestID; self.paramsHash = paramsHash
        self.error = error; self.data = data
    }

    /// keccak256("ankr-nos-datagram" ‖ RLP[chainId, contract, requestId, paramsHash, error, data]).
    public var hash: [UInt8] {
        Keccak256.hash(Array("ankr-nos-datagram".utf8) + RLP.encode(.list([
            .uint(chainID), .bytes(contract.bytes), .uint(requestID), .bytes(paramsHash.bytes), .uint(error), .bytes(data),
        ])))
    }

    /// Signed with a bare key as an enclave signs (over ``EnclaveMessage/digest(_:)``): for tests and tools.
    public func sign(with key: PrivateKey) throws -> [UInt8] { try key.sign(hash: EnclaveMessage.digest(hash)).rsv27 }

    /// Signed inside the enclave, with the key its attestation binds.
    public func sign(with enclave: Enclave) throws -> [UInt8] { try enclave.sign(hash: hash).rsv27 }

    /// The key that signed, for the contract to compare with the registered enclave key.
    public func signer(of signature: [UInt8]) throws -> Address { try Signature(rsv: signature).recoverAddress(hash: EnclaveMessage.digest(hash)) }
}
