/// One TCB level of a TCB info: the minimum component SVNs a platform needs for the level's status.
public struct TCBLevel: Sendable, Equatable {
    /// The 16 SGX TCB component SVNs (`sgxtcbcomponents`).
    public let sgxComponents: [UInt8]
    /// The 16 TDX TCB component SVNs (`tdxtcbcomponents`, TDX TCB info only; empty otherwise).
    public let tdxComponents: [UInt8]
    /// The minimum PCE SVN (`pcesvn`).
    public let pceSVN: UInt16
    /// `tcbDate`, unix seconds.
    public let tcbDate: UInt64
    public let status: TCBStatus
    /// `advisoryIDs` in the document's order.
    public let advisoryIDs: [String]

    public init(sgxComponents: [UInt8], tdxComponents: [UInt8], pceSVN: UInt16, tcbDate: UInt64, status: TCBStatus,
                advisoryIDs: [String]) {
        self.sgxComponents = sgxComponents
        self.tdxComponents = tdxComponents
        self.pceSVN = pceSVN
        self.tcbDate = tcbDate
        self.status = status
        self.advisoryIDs = advisoryIDs
    }
}
