/// The enclave report (384 bytes) an SGX quote carries: what a test wants the verifier to read back.
public struct TestSGXReport: Sendable, Equatable {
    /// CPUSVN (16); defaults to the platform's.
    public var cpuSVN: [UInt8]?
    /// MISCSELECT.
    public var miscSelect: UInt32
    /// ATTRIBUTES (16): flags (little-endian u64; bit 1 is DEBUG) ‖ XFRM.
    public var attributes: [UInt8]
    /// MRENCLAVE (32): the enclave measurement.
    public var mrEnclave: [UInt8]
    /// MRSIGNER (32): the hash of the enclave signer's key.
    public var mrSigner: [UInt8]
    /// ISVPRODID.
    public var isvProdID: UInt16
    /// ISVSVN.
    public var isvSVN: UInt16
    /// REPORTDATA (64): what the enclave binds into its quote.
    public var reportData: [UInt8]

    /// Production attributes as a real enclave has them: INIT | MODE64BIT, XFRM 0xE7; `debug` sets the DEBUG flag.
    public static func attributes(debug: Bool) -> [UInt8] {
        [debug ? 0x07 : 0x05, 0, 0, 0, 0, 0, 0, 0, 0xE7, 0, 0, 0, 0, 0, 0, 0]
    }

    /// A report; `debug` chooses the attributes unless `attributes` is given.
    public init(reportData: [UInt8] = [UInt8](repeating: 0, count: 64),
                mrEnclave: [UInt8] = [UInt8](repeating: 0xAA, count: 32),
                mrSigner: [UInt8] = [UInt8](repeating: 0xBB, count: 32), isvProdID: UInt16 = 0, isvSVN: UInt16 = 0,
                debug: Bool = false, attributes: [UInt8]? = nil, miscSelect: UInt32 = 0, cpuSVN: [UInt8]? = nil) {
        self.cpuSVN = cpuSVN
        self.miscSelect = miscSelect
        self.attributes = attributes ?? Self.attributes(debug: debug)
        self.mrEnclave = mrEnclave
        self.mrSigner = mrSigner
        self.isvProdID = isvProdID
        self.isvSVN = isvSVN
        self.reportData = reportData
    }

    /// The 384-byte encoding, little-endian integers, reserved fields zero.
    func encoded(platformCPUSVN: [UInt8]) throws(TestPKIError) -> [UInt8] {
        let cpuSVN = cpuSVN ?? platformCPUSVN
        try TestPKI.check("cpuSVN", cpuSVN, 16)
        try TestPKI.check("attributes", attributes, 16)
        try TestPKI.check("mrEnclave", mrEnclave, 32)
        try TestPKI.check("mrSigner", mrSigner, 32)
        try TestPKI.check("reportData", reportData, 64)
        var out = cpuSVN
        out += QuoteBytes.le(miscSelect)
        out += [UInt8](repeating: 0, count: 28)
        out += attributes
        out += mrEnclave
        out += [UInt8](repeating: 0, count: 32)
        out += mrSigner
        out += [UInt8](repeating: 0, count: 96)
        out += QuoteBytes.le(isvProdID)
        out += QuoteBytes.le(isvSVN)
        out += [UInt8](repeating: 0, count: 60)
        out += reportData
        return out
    }
}
