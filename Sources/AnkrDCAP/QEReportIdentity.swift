/// The quoting enclave report's fields a QE identity rates: the input of ``QEIdentity/qeStatus(for:)``.
public struct QEReportIdentity: Sendable, Equatable {
    /// MRSIGNER (32 bytes).
    public var mrSigner: [UInt8]
    public var isvProdID: UInt16
    /// MISCSELECT as the report's little-endian 32-bit value.
    public var miscSelect: UInt32
    /// ATTRIBUTES (16 bytes).
    public var attributes: [UInt8]
    public var isvSVN: UInt16

    public init(mrSigner: [UInt8], isvProdID: UInt16, miscSelect: UInt32, attributes: [UInt8], isvSVN: UInt16) {
        self.mrSigner = mrSigner
        self.isvProdID = isvProdID
        self.miscSelect = miscSelect
        self.attributes = attributes
        self.isvSVN = isvSVN
    }
}
