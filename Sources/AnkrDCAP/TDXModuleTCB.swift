/// The TD report's fields that rate the TDX module: TEE TCB SVN (byte 0 the module's ISV SVN, byte 1 its major
/// version), MRSIGNERSEAM and SEAMATTRIBUTES, and for TD report 1.5 TEE TCB SVN 2 (the module running now).
public struct TDXModuleTCB: Sendable, Equatable {
    /// TEE_TCB_SVN (16 bytes).
    public var teeTCBSVN: [UInt8]
    /// MRSIGNERSEAM (48 bytes).
    public var mrSignerSeam: [UInt8]
    /// SEAMATTRIBUTES (8 bytes).
    public var seamAttributes: [UInt8]
    /// TEE_TCB_SVN2 (16 bytes) of a TD report 1.5; nil for TD report 1.0.
    public var teeTCBSVN2: [UInt8]?

    public init(teeTCBSVN: [UInt8], mrSignerSeam: [UInt8], seamAttributes: [UInt8], teeTCBSVN2: [UInt8]? = nil) {
        self.teeTCBSVN = teeTCBSVN
        self.mrSignerSeam = mrSignerSeam
        self.seamAttributes = seamAttributes
        self.teeTCBSVN2 = teeTCBSVN2
    }
}
