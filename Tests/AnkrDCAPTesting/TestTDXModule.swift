import AnkrDCAP

/// The TDX module part of a TDX TCB info: the `tdxModule` signer and attributes every TD report's MRSIGNERSEAM
/// and SEAMATTRIBUTES must match, and `tdxModuleIdentities` giving module versions (id `TDX_<major, 2 hex>`) their
/// own signer and ISV SVN levels.
public struct TestTDXModule: Sendable, Equatable {
    /// One `tdxModuleIdentities` entry.
    public struct Identity: Sendable, Equatable {
        /// `TDX_<module major version, 2 hex digits>`.
        public var id: String
        /// MRSIGNERSEAM (48), SEAMATTRIBUTES (8) and its mask (8) of this module version.
        /// `tdxModule`: MRSIGNERSEAM (48), SEAMATTRIBUTES (8) and its mask (8).
    public var mrSigner: [UInt8]
        public var attributes: [UInt8]
        public var attributesMask: [UInt8]
        /// Levels over the module's ISV SVN (TEE TCB SVN byte 0).
        public var tcbLevels: [TestQETCBLevel]

        /// An identity with Intel's zero signer and attributes unless told otherwise.
        public init(id: String, mrSigner: [UInt8] = [UInt8](repeating: 0, count: 48),
                    attributes: [UInt8] = [UInt8](repeating: 0, count: 8),
                    attributesMask: [UInt8] = [UInt8](repeating: 0xFF, count: 8), tcbLevels: [TestQETCBLevel]) {
            self.id = id
            self.mrSigner = mrSigner
            self.attributes = attributes
            self.attributesMask = attributesMask
            self.tcbLevels = tcbLevels
        }

        var json: String {
            "{\"id\":" + TestJSON.string(id) + ",\"mrsigner\":\"" + TestJSON.upperHex(mrSigner) + "\""
                + ",\"attributes\":\"" + TestJSON.upperHex(attributes) + "\""
                + ",\"attributesMask\":\"" + TestJSON.upperHex(attributesMask) + "\""
                + ",\"tcbLevels\":[" + tcbLevels.map(\.json).joined(separator: ",") + "]}"
        }
    }

    public var mrSigner: [UInt8]
    public var attributes: [UInt8]
    public var attributesMask: [UInt8]
    /// `tdxModuleIdentities`.
    public var identities: [Identity]

    /// A module part with Intel's zero signer and attributes unless told otherwise.
    public init(mrSigner: [UInt8] = [UInt8](repeating: 0, count: 48),
                attributes: [UInt8] = [UInt8](repeating: 0, count: 8),
                attributesMask: [UInt8] = [UInt8](repeating: 0xFF, count: 8), identities: [Identity]) {
        self.mrSigner = mrSigner
        self.attributes = attributes
        self.attributesMask = attributesMask
        self.identities = identities
    }

    /// Intel's module shape for `platform`: zero signer and attributes, and identity `TDX_<major>` whose only level
    /// puts the platform's module ISV SVN at `status`.
    public static func placing(_ platform: TestPlatform, at status: TCBStatus = .upToDate) -> TestTDXModule {
        let major = platform.teeTCBSVN[1]
        let id = "TDX_" + TestJSON.upperHex([major])
        return TestTDXModule(identities: [
            Identity(id: id, tcbLevels: [TestQETCBLevel(isvSVN: UInt16(platform.teeTCBSVN[0]), status: status)]),
        ])
    }

    var json: String {
        "\"tdxModule\":{\"mrsigner\":\"" + TestJSON.upperHex(mrSigner) + "\",\"attributes\":\""
            + TestJSON.upperHex(attributes) + "\",\"attributesMask\":\"" + TestJSON.upperHex(attributesMask) + "\"}"
            + ",\"tdxModuleIdentities\":[" + identities.map(\.json).joined(separator: ",") + "]"
    }
}
