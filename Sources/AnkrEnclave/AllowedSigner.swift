import AnkrPrimitives

/// An SGX code signer genesis trusts: any enclave signed by `mrSigner` whose ISV SVN (the signer's
/// security version) is at least `minISVSVN` is allowed, so a vendor can ship fixed builds without a
/// genesis change and retire vulnerable ones by raising the minimum.
public struct AllowedSigner: Hashable, Sendable {
    public var mrSigner: H256
    public var minISVSVN: UInt16

    public init(mrSigner: H256, minISVSVN: UInt16) { self.mrSigner = mrSigner; self.minISVSVN = minISVSVN }
}
