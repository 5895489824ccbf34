import AnkrDCAP

/// One `tcbLevels` entry of a TCB info document: the SGX TCB components and PCE SVN a platform must reach (and for
/// TDX the TDX TCB components its TD reports' TEE TCB SVN must reach), the status it then has and the advisories.
public struct TestTCBLevel: Sendable, Equatable {
    /// SGX TCB components 1–16 (`sgxtcbcomponents`).
    public var sgxComponents: [UInt8]
    /// `pcesvn`.
    public var pceSVN: UInt16
    /// TDX TCB components 1–16 (`tdxtcbcomponents`); nil in SGX TCB info.
    public var tdxComponents: [UInt8]?
    /// `tcbStatus`.
    public var status: TCBStatus
    /// `advisoryIDs` (omitted from the JSON when empty, as Intel does).
    public var advisoryIDs: [String]
    /// `tcbDate` (unix seconds).
    public var date: UInt64

    /// A level; `date` defaults to the default issue date.
    public init(sgxComponents: [UInt8], pceSVN: UInt16, tdxComponents: [UInt8]? = nil, status: TCBStatus,
                advisoryIDs: [String] = [], date: UInt64 = TestPKI.defaultIssueDate) {
        self.sgxComponents = sgxComponents
        self.pceSVN = pceSVN
        self.tdxComponents = tdxComponents
        self.status = status
        self.advisoryIDs = advisoryIDs
        self.date = date
    }

    /// Levels that give `platform` the status `status` (with `advisoryIDs`): for UpToDate the platform's own TCB;
    /// otherwise an UpToDate level just above the platform (one SGX component, or the PCE SVN, one higher) and the
    /// platform's own TCB with `status` below it (only the latter when the platform is at every maximum), the shape of Intel's TCB info for an outdated platform.
    /// `tee` .tdx adds the platform's TEE TCB SVN as TDX components.
    public static func placing(_ platform: TestPlatform, tee: TEEType = .sgx, at status: TCBStatus,
                               advisoryIDs: [String] = []) -> [TestTCBLevel] {
        let tdx = tee == .tdx ? platform.teeTCBSVN : nil
        let own = TestTCBLevel(sgxComponents: platform.cpuSVNComponents, pceSVN: platform.pceSVN, tdxComponents: tdx,
                               status: status, advisoryIDs: advisoryIDs, date: TestPKI.defaultIssueDate - 86_400 * 90)
        guard status != .upToDate else { return [own] }
        var newer = TestTCBLevel(sgxComponents: platform.cpuSVNComponents, pceSVN: platform.pceSVN, tdxComponents: tdx,
                                 status: .upToDate)
        if let index = newer.sgxComponents.firstIndex(where: { $0 < 255 }) {
            newer.sgxComponents[index] += 1
        } else if platform.pceSVN < .max {
            newer.pceSVN = platform.pceSVN + 1
        } else {
            return [own]                // nothing is above a platform at every maximum
        }
        return [newer, own]
    }

    var json: String {
        var tcb = "{\"sgxtcbcomponents\":" + Self.components(sgxComponents) + ",\"pcesvn\":\(pceSVN)"
        if let tdxComponents { tcb += ",\"tdxtcbcomponents\":" + Self.components(tdxComponents) }
        tcb += "}"
        return "{\"tcb\":" + tcb + ",\"tcbDate\":\"" + UTCDate(unixSeconds: date).iso8601 + "\",\"tcbStatus\":\""
            + status.rawValue + "\"" + TestJSON.advisories(advisoryIDs) + "}"
    }

    private static func components(_ svns: [UInt8]) -> String {
        "[" + svns.map { "{\"svn\":\($0)}" }.joined(separator: ",") + "]"
    }
}
