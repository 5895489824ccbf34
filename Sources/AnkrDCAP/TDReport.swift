/// A TDX TD report as carried in a TDX quote: version 1.0 (584 bytes) or 1.5 (648 bytes, adds TEE_TCB_SVN_2 and MRSERVICETD).
public struct TDReport: Sendable, Equatable {
    /// The size of a TD report 1.0.
    public static let size10 = 584
    /// The size of a TD report 1.5.
    public static let size15 = 648

    public var teeTCBSVN: [UInt8]       // 16
    public var mrSeam: [UInt8]          // 48
    public var mrSignerSeam: [UInt8]    // 48
    public var seamAttributes: [UInt8]  // 8
    public var tdAttributes: [UInt8]    // 8
    public var xfam: [UInt8]            // 8
    public var mrTD: [UInt8]            // 48
    public var mrConfigID: [UInt8]      // 48
    public var mrOwner: [UInt8]         // 48
    public var mrOwnerConfig: [UInt8]   // 48
    /// RTMR0 to RTMR3, 48 bytes each.
    public var rtmrs: [[UInt8]]
    public var reportData: [UInt8]      // 64
    /// TD report 1.5 only.
    public var teeTCBSVN2: [UInt8]?     // 16
    /// TD report 1.5 only.
    public var mrServiceTD: [UInt8]?    // 48

    public init(teeTCBSVN: [UInt8], mrSeam: [UInt8], mrSignerSeam: [UInt8], seamAttributes: [UInt8], tdAttributes: [UInt8],
                xfam: [UInt8], mrTD: [UInt8], mrConfigID: [UInt8], mrOwner: [UInt8], mrOwnerConfig: [UInt8], rtmrs: [[UInt8]],
                reportData: [UInt8], teeTCBSVN2: [UInt8]? = nil, mrServiceTD: [UInt8]? = nil) {
        self.teeTCBSVN = teeTCBSVN
        self.mrSeam = mrSeam
        self.mrSignerSeam = mrSignerSeam
        self.seamAttributes = seamAttributes
        self.tdAttributes = tdAttributes
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

    /// Whether the TD runs in debug mode (TDATTRIBUTES.TUD.DEBUG, bit 0), where the host can read its state.
    public var debug: Bool { tdAttributes.first.map { $0 & 0x01 != 0 } ?? false }

    /// Reads a TD report 1.0, or 1.5 when `version15`.
    init(reading reader: inout ByteReader, version15: Bool) throws(DCAPError) {
        var r = try reader.subReader(version15 ? Self.size15 : Self.size10, .body)
        teeTCBSVN = try r.read(16, .body)
        mrSeam = try r.read(48, .body)
        mrSignerSeam = try r.read(48, .body)
        seamAttributes = try r.read(8, .body)
        tdAttributes = try r.read(8, .body)
        xfam = try r.read(8, .body)
        mrTD = try r.read(48, .body)
        mrConfigID = try r.read(48, .body)
        mrOwner = try r.read(48, .body)
        mrOwnerConfig = try r.read(48, .body)
        var rtmrs: [[UInt8]] = []
        for _ in 0..<4 { rtmrs.append(try r.read(48, .body)) }
        self.rtmrs = rtmrs
        reportData = try r.read(64, .body)
        teeTCBSVN2 = version15 ? try r.read(16, .body) : nil
        mrServiceTD = version15 ? try r.read(48, .body) : nil
    }

    /// The attribute rules dcap-qvl applies to every TD (debug is left to the caller's policy): no reserved
    /// TUD/SEC/OTHER bits, SEPT_VE_DISABLE set, and no service TD.
    func checkAttributes() throws(DCAPError) {
        let a = tdAttributes
        guard a.count == 8 else { throw .tdAttributesReserved }
        // TUD: bit 0 DEBUG, bits 1-7 reserved. SEC: bits 8-27 reserved, 28 SEPT_VE_DISABLE, 29 reserved, 30 PKS, 31 KL.
        // OTHER: bits 32-62 reserved, 63 PERFMON.
        let reserved = a[0] & 0xFE != 0 || a[1] != 0 || a[2] != 0 || a[3] & 0x2F != 0
            || a[4] != 0 || a[5] != 0 || a[6] != 0 || a[7] & 0x7F != 0
        guard !reserved else { throw .tdAttributesReserved }
        guard a[3] & 0x10 != 0 else { throw .septVEDisableNotSet }
        if let service = mrServiceTD, service.contains(where: { $0 != 0 }) { throw .serviceTDNotAllowed }
    }
}
