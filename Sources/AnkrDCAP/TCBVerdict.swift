/// The outcome of ``TCBEvaluation/evaluate(collateral:tcbInfoSigningKey:qeIdentitySigningKey:platform:qeReport:time:)``:
/// the combined status and advisories, and the platform's and quoting enclave's own.
public struct TCBVerdict: Sendable, Equatable {
    public var status: TCBStatus
    public var advisoryIDs: [String]
    public var qeStatus: TCBStatus
    public var qeAdvisoryIDs: [String]
    public var platformStatus: TCBStatus
    public var platformAdvisoryIDs: [String]

    public init(platform: TCBLevelMatch, qe: TCBLevelMatch) {
        let combined = platform.merged(with: qe)
        status = combined.status
        advisoryIDs = combined.advisoryIDs
        qeStatus = qe.status
        qeAdvisoryIDs = qe.advisoryIDs
        platformStatus = platform.status
        platformAdvisoryIDs = platform.advisoryIDs
    }
}
