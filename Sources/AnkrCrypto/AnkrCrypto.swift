/// AnkrCrypto wraps libsecp256k1 and swift-crypto in Swift value types: ``PrivateKey``,
/// ``PublicKey``, recoverable ``Signature`` (RFC 6979, low-s), ``ECIES`` encryption and
/// Web3 Secret Storage ``Keystore`` files, and ``SecretFile``, the one way key files reach disk
/// (0600 from creation, atomic). No raw pointers cross this module's API.
public enum AnkrCrypto {}
