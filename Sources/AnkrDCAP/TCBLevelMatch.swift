/// The status and advisory ids of a matched TCB level (platform, TDX module or quoting enclave).
public struct TCBLevelMatch: Sendable, Equatable {
    public var status: TCBStatus
    public var advisoryIDs: [String]

    public init(status: TCBStatus, advisoryIDs: [String]) {
        self.status = status
        self.advisoryIDs = advisoryIDs
    }

    /// The combination of two matches as dcap-qvl (and Intel QVL) forms it: the worse status (this one on a tie),
    /// this match's advisory ids followed by those of `other` not already listed.
    public func merged(with other: TCBLevelMatch) -> TCBLevelMatch {
        var ids = advisoryIDs
        for id in other.advisoryIDs where !ids.contains(id) {
            ids.append(id)
        }
        return TCBLevelMatch(status: other.status.severity > status.severity ? other.status : status, advisoryIDs: ids)
    }
}
