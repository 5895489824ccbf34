/// One TCB level of a TDX module identity: the minimum module ISV SVN (TEE TCB SVN byte 0) for its status.
public struct TDXModuleTCBLevel: Sendable, Equatable {
    public let isvSVN: UInt8
    /// `tcbDate`, unix seconds.
    public let tcbDate: UInt64
    public let status: TCBStatus
    public let advisoryIDs: [String]

    public init(isvSVN: UInt8, tcbDate: UInt64, status: TCBStatus, advisoryIDs: [String]) {
        self.isvSVN = isvSVN
        self.tcbDate = tcbDate
        self.status = status
        self.advisoryIDs = advisoryIDs
    }
}
