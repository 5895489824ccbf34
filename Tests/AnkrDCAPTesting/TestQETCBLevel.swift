import AnkrDCAP

/// One `tcbLevels` entry of a QE identity (or of a TDX module identity): the ISV SVN the enclave must reach, the
/// status it then has and the advisories.
public struct TestQETCBLevel: Sendable, Equatable {
    /// `tcb.isvsvn`.
    public var isvSVN: UInt16
    /// `tcbStatus`.
    public var status: TCBStatus
    /// `advisoryIDs` (omitted when empty).
    public var advisoryIDs: [String]
    /// `tcbDate` (unix seconds).
    public var date: UInt64

    /// A level reached from `isvSVN` on.
    public init(isvSVN: UInt16, status: TCBStatus, advisoryIDs: [String] = [], date: UInt64 = TestPKI.defaultIssueDate) {
        self.isvSVN = isvSVN
        self.status = status
        self.advisoryIDs = advisoryIDs
        self.date = date
    }

    var json: String {
        "{\"tcb\":{\"isvsvn\":\(isvSVN)},\"tcbDate\":\"" + UTCDate(unixSeconds: date).iso8601 + "\",\"tcbStatus\":\""
            + status.rawValue + "\"" + TestJSON.advisories(advisoryIDs) + "}"
    }
}
