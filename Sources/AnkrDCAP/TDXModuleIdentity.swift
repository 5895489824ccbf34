/// One entry of a TDX TCB info's `tdxModuleIdentities`: the signer, attributes and TCB levels of one major version
/// of the TDX module (`id` is `TDX_<major version as two hex digits>`).
public struct TDXModuleIdentity: Sendable, Equatable {
    public let id: String
    /// Expected MRSIGNERSEAM (48 bytes).
    public let mrSigner: [UInt8]
    /// Expected SEAMATTRIBUTES (8 bytes) under ``attributesMask``.
    public let attributes: [UInt8]
    public let attributesMask: [UInt8]
    /// The levels by minimum module ISV SVN, in the document's order (highest first, as Intel publishes them).
    public let tcbLevels: [TDXModuleTCBLevel]

    public init(id: String, mrSigner: [UInt8], attributes: [UInt8], attributesMask: [UInt8], tcbLevels: [TDXModuleTCBLevel]) {
        self.id = id
        self.mrSigner = mrSigner
        self.attributes = attributes
        self.attributesMask = attributesMask
        self.tcbLevels = tcbLevels
    }
}
