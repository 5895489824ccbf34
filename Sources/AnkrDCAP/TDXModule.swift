/// The TDX module a TDX TCB info expects by default (`tdxModule`): its signer and SEAM attributes.
public struct TDXModule: Sendable, Equatable {
    /// Expected MRSIGNERSEAM (48 bytes).
    public let mrSigner: [UInt8]
    /// Expected SEAMATTRIBUTES (8 bytes) under ``attributesMask``.
    public let attributes: [UInt8]
    public let attributesMask: [UInt8]

    public init(mrSigner: [UInt8], attributes: [UInt8], attributesMask: [UInt8]) {
        self.mrSigner = mrSigner
        self.attributes = attributes
        self.attributesMask = attributesMask
    }
}
