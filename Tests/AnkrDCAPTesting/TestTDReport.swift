/// The TD report a TDX quote carries: TD report 1.0 (584 bytes), or 1.5 (648 bytes: plus TEE TCB SVN 2 and
/// MRSERVICETD) when `teeTCBSVN2` or `mrServiceTD` is set (version 5 quotes only).
public struct TestTDReport: Sendable, Equatable {
    /// TEE TCB SVN (16); defaults to the platform's.
    public var teeTCBSVN: [UInt8]?
    /// MRSEAM (48): the TDX module measurement.
    public var mrSeam: [UInt8]
    /// MRSIGNERSEAM (48): the TDX module's signer, matched against the TCB info's `tdxModule` (zero for Intel's).
    public var mrSignerSeam: [UInt8]
    /// SEAMATTRIBUTES (8), matched under the TCB info's mask.
    public var seamAttributes: [UInt8]
    /// TDATTRIBUTES (8): byte 0 bit 0 is DEBUG; bit 28 (SEPT_VE_DISABLE) is set as dcap-qvl demands.
    public var tdAttributes: [UInt8]
    /// XFAM (8).
    public var xfam: [UInt8]
    /// MRTD (48): the measurement of the TD's initial contents.
    public var mrTD: [UInt8]
    /// MRCONFIGID, MROWNER, MROWNERCONFIG (48 each).
    public var mrConfigID: [UInt8]
    public var mrOwner: [UInt8]
    public var mrOwnerConfig: [UInt8]
    /// RTMR0–3, 48 bytes each.
    public var rtmrs: [[UInt8]]
    /// REPORTDATA (64).
    public var reportData: [UInt8]
    /// TD report 1.5 only.
    public var teeTCBSVN2: [UInt8]?
    /// TD report 1.5 only.
    public var mrServiceTD: [UInt8]?

    /// TD attributes of a production TD (SEPT_VE_DISABLE); `debug` sets the DEBUG bit.
    public static func tdAttributes(debug: Bool) -> [UInt8] {
        [debug ? 0x01 : 0x00, 0, 0, 0x10, 0, 0, 0, 0]
    }

    /// A TD report; `debug` chooses the TD attributes unless `tdAttributes` is given.
    public init(reportData: [UInt8] = [UInt8](repeating: 0, count: 64),
                mrTD: [UInt8] = [UInt8](repeating: 0xCC, count: 48),
                rtmrs: [[UInt8]] = (0..<4).map { [UInt8](repeating: UInt8(0xD0 + $0), count: 48) },
                debug: Bool = false, tdAttributes: [UInt8]? = nil,
                mrConfigID: [UInt8] = [UInt8](repeating: 0, count: 48),
                mrOwner: [UInt8] = [UInt8](repeating: 0, count: 48),
                mrOwnerConfig: [UInt8] = [UInt8](repeating: 0, count: 48),
                mrSeam: [UInt8] = [UInt8](repeating: 0x5E, count: 48),
                mrSignerSeam: [UInt8] = [UInt8](repeating: 0, count: 48),
                seamAttributes: [UInt8] = [UInt8](repeating: 0, count: 8),
                xfam: [UInt8] = [0xE7, 0x02, 0x06, 0, 0, 0, 0, 0],
                teeTCBSVN: [UInt8]? = nil, teeTCBSVN2: [UInt8]? = nil, mrServiceTD: [UInt8]? = nil) {
        self.teeTCBSVN = teeTCBSVN
        self.mrSeam = mrSeam
        self.mrSignerSeam = mrSignerSeam
        self.seamAttributes = seamAttributes
        self.tdAttributes = tdAttributes ?? Self.tdAttributes(debug: debug)
        self.xfam = xfam
        self.mrTD = mrTD
        self.mrConfigID = mrConfigID
        self.mrOwner = mrOwner
        self.mrOwnerConfig = mrOwnerConfig
        self.rtmrs = rtmrs
        self.reportData = reportData
        self.teeTCBSVN2 = teeTCBSVN2
        self.mrServiceTD = mrServiceTD
    }

    /// Whether this is a TD report 1.5.
    public var isVersion15: Bool { teeTCBSVN2 != nil || mrServiceTD != nil }

    /// The encoding: TD report 1.0 fields in order, then the 1.5 fields when present.
    func encoded(platformTEETCBSVN: [UInt8]) throws(TestPKIError) -> [UInt8] {
        let teeTCBSVN = teeTCBSVN ?? platformTEETCBSVN
        try TestPKI.check("teeTCBSVN", teeTCBSVN, 16)
        let fields: [(String, [UInt8], Int)] = [
            ("mrSeam", mrSeam, 48), ("mrSignerSeam", mrSignerSeam, 48), ("seamAttributes", seamAttributes, 8),
            ("tdAttributes", tdAttributes, 8), ("xfam", xfam, 8), ("mrTD", mrTD, 48), ("mrConfigID", mrConfigID, 48),
            ("mrOwner", mrOwner, 48), ("mrOwnerConfig", mrOwnerConfig, 48),
        ]
        var out = teeTCBSVN
        for (name, bytes, length) in fields {
            try TestPKI.check(name, bytes, length)
            out += bytes
        }
        guard rtmrs.count == 4 else { throw .wrongLength(field: "rtmrs (count)", expected: 4, actual: rtmrs.count) }
        for (index, rtmr) in rtmrs.enumerated() {
            try TestPKI.check("rtmrs[\(index)]", rtmr, 48)
            out += rtmr
        }
        try TestPKI.check("reportData", reportData, 64)
        out += reportData
        if isVersion15 {
            let svn2 = teeTCBSVN2 ?? [UInt8](repeating: 0, count: 16)
            let serviceTD = mrServiceTD ?? [UInt8](repeating: 0, count: 48)
            try TestPKI.check("teeTCBSVN2", svn2, 16)
            try TestPKI.check("mrServiceTD", serviceTD, 48)
            out += svn2 + serviceTD
        }
        return out
    }
}
