/// Which collateral document an error is about: the collateral JSON itself or one of the two signed documents in it.
public enum CollateralDocument: String, Sendable, Equatable {
    case collateral = "collateral"
    case tcbInfo = "TCB info"
    case qeIdentity = "QE identity"
}
