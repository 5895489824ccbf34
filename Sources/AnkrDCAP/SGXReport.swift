/// An SGX enclave report (384 bytes): the body of an SGX quote and the quoting enclave's own report.
public struct SGXReport: Sendable, Equatable {
    /// The report's size in a quote.
    public static let size = 384

    public var cpuSVN: [UInt8]        // 16
    public var miscSelect: UInt32
    public var attributes: [UInt8]    // 16
    public var mrEnclave: [UInt8]     // 32
    public var mrSigner: [UInt8]      // 32
    public var isvProdID: UInt16
    public var isvSVN: UInt16
    public var reportData: [UInt8]    // 64

    public init(cpuSVN: [UInt8], miscSelect: UInt32, attributes: [UInt8], mrEnclave: [UInt8], mrSigner: [UInt8],
                isvProdID: UInt16, isvSVN: UInt16, reportData: [UInt8]) {
        self.cpuSVN = cpuSVN
        self.miscSelect = miscSelect
        self.attributes = attributes
        self.mrEnclave = mrEnclave
        self.mrSigner = mrSigner
        self.isvProdID = isvProdID
        self.isvSVN = isvSVN
        self.reportData = reportData
    }

    /// Whether the enclave runs in debug mode (ATTRIBUTES.DEBUG, bit 1), where its memory is readable from outside.
    public var debug: Bool { attributes.first.map { $0 & 0x02 != 0 } ?? false }

    /// Reads the fixed layout; the reserved regions are skipped (the signature covers them).
    init(reading reader: inout ByteReader, _ field: QuoteField) throws(DCAPError) {
        var r = try reader.subReader(Self.size, field)
        cpuSVN = try r.read(16, field)
        miscSelect = try r.readUInt32(field)
        _ = try r.read(28, field)
        attributes = try r.read(16, field)
        mrEnclave = try r.read(32, field)
        _ = try r.read(32, field)
        mrSigner = try r.read(32, field)
        _ = try r.read(96, field)
        isvProdID = try r.readUInt16(field)
        isvSVN = try r.readUInt16(field)
        _ = try r.read(60, field)
        reportData = try r.read(64, field)
    }
}
