/// What the platform's TCB is, as the PCK certificate (and for TDX the TD report) states it: the input of
/// ``TCBInfo/platformStatus(for:)``.
public struct PlatformTCB: Sendable, Equatable {
    public var teeType: TEEType
    /// FMSPC from the PCK certificate's SGX extensions (6 bytes).
    public var fmspc: [UInt8]
    /// PCE-ID from the PCK certificate (2 bytes).
    public var pceID: [UInt8]
    /// SGX TCB components 1 to 16 from the PCK certificate.
    public var cpuSVNComponents: [UInt8]
    /// PCESVN from the PCK certificate.
    public var pceSVN: UInt16
    /// The TD report's TDX module fields; required for TDX.
    public var tdx: TDXModuleTCB?

    public init(teeType: TEEType, fmspc: [UInt8], pceID: [UInt8], cpuSVNComponents: [UInt8], pceSVN: UInt16,
                tdx: TDXModuleTCB?) {
        self.teeType = teeType
        self.fmspc = fmspc
        self.pceID = pceID
        self.cpuSVNComponents = cpuSVNComponents
        self.pceSVN = pceSVN
        self.tdx = tdx
    }
}
