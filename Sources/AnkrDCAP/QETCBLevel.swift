/// One TCB level of a QE identity: the minimum quoting enclave ISV SVN for its status.
public struct QETCBLevel: Sendable, Equatable {
    public let isvSVN: UInt16
    /// `tcbDate`, unix seconds.
    public let tcbDate: UInt64
    public let status: TCBStatus
    public let advisoryIDs: [String]

    public init(isvSVN: UInt16, tcbDate: UInt64, status: TCBStatus, advisoryIDs: [String]) {
        self.isvSVN = isvSVN
        self.tcbDate = tcbDate
        self.status = status
        self.advisoryIDs = advisoryIDs
    }
}
