/// The TCB status Intel assigns to a platform or quoting enclave TCB level (the `tcbStatus` of TCB info and QE
/// identity levels), and the combined status of a verified quote.
public enum TCBStatus: String, Sendable, CaseIterable, Codable {
    case upToDate = "UpToDate"
    case swHardeningNeeded = "SWHardeningNeeded"
    case configurationNeeded = "ConfigurationNeeded"
    case configurationAndSWHardeningNeeded = "ConfigurationAndSWHardeningNeeded"
    case outOfDate = "OutOfDate"
    case outOfDateConfigurationNeeded = "OutOfDateConfigurationNeeded"
    case revoked = "Revoked"

    /// How bad the status is; merging two statuses keeps the worse one. The order is dcap-qvl's (and Intel QVL's).
    var severity: Int {
        switch self {
        case .upToDate: return 0
        case .swHardeningNeeded: return 1
        case .configurationNeeded: return 2
        case .configurationAndSWHardeningNeeded: return 3
        case .outOfDate: return 4
        case .outOfDateConfigurationNeeded: return 5
        case .revoked: return 6
        }
    }
}
