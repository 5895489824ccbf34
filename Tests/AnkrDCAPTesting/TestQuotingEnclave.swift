/// The quoting enclave of a test platform: the fields of its QE report (signed by the PCK key) and the QE identity
/// document that vouches for them. `sgx` and `tdx` carry the values of Intel's QE and TD QE.
public struct TestQuotingEnclave: Sendable, Equatable {
    /// QE identity `id`: "QE" (SGX) or "TD_QE" (TDX).
    public var identityID: String
    /// QE identity `version`.
    public var identityVersion: Int
    /// MRSIGNER of the QE report and of the identity.
    public var mrSigner: [UInt8]
    /// MRENCLAVE of the QE report (QE identity does not pin it).
    public var mrEnclave: [UInt8]
    /// ISVPRODID of the QE report and of the identity.
    public var isvProdID: UInt16
    /// ISVSVN of the QE report (matched against `tcbLevels`) and the header's QE SVN.
    public var isvSVN: UInt16
    /// ATTRIBUTES of the QE report.
    public var attributes: [UInt8]
    /// QE identity `attributes` and `attributesMask`.
    public var identityAttributes: [UInt8]
    public var identityAttributesMask: [UInt8]
    /// MISCSELECT of the QE report; QE identity `miscselect` (little-endian hex) and `miscselectMask`.
    public var miscSelect: UInt32
    public var miscSelectMask: UInt32
    /// The QE authentication data hashed into the QE report data (dcap-qvl accepts 32 bytes only).
    public var authData: [UInt8]
    /// QE identity `tcbLevels`.
    public var tcbLevels: [TestQETCBLevel]

    /// A quoting enclave; the QE identity accepts it when its report fields match the identity and its ISV SVN
    /// reaches a level.
    public init(identityID: String, identityVersion: Int = 2, mrSigner: [UInt8], mrEnclave: [UInt8], isvProdID: UInt16,
                isvSVN: UInt16, attributes: [UInt8], identityAttributes: [UInt8], identityAttributesMask: [UInt8],
                miscSelect: UInt32 = 0, miscSelectMask: UInt32 = 0xFFFF_FFFF, authData: [UInt8] = Array(0..<32),
                tcbLevels: [TestQETCBLevel]) {
        self.identityID = identityID
        self.identityVersion = identityVersion
        self.mrSigner = mrSigner
        self.mrEnclave = mrEnclave
        self.isvProdID = isvProdID
        self.isvSVN = isvSVN
        self.attributes = attributes
        self.identityAttributes = identityAttributes
        self.identityAttributesMask = identityAttributesMask
        self.miscSelect = miscSelect
        self.miscSelectMask = miscSelectMask
        self.authData = authData
        self.tcbLevels = tcbLevels
    }

    /// Intel's SGX quoting enclave (ISVPRODID 1, ISVSVN 8, UpToDate; an OutOfDate level below).
    public static let sgx = TestQuotingEnclave(
        identityID: "QE",
        mrSigner: TestJSON.bytes(hex: "8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff"),
        mrEnclave: TestJSON.bytes(hex: "2b4a1b1f6a70b6dcfd9e2bde5ac4c0b1b1d6e1bc8e2e3d3a2c5b1c9d6e7f8a9b"),
        isvProdID: 1, isvSVN: 8, attributes: TestJSON.bytes(hex: "11000000000000000000000000000000"),
        identityAttributes: TestJSON.bytes(hex: "11000000000000000000000000000000"),
        identityAttributesMask: TestJSON.bytes(hex: "fbffffffffffffff0000000000000000"),
        tcbLevels: [TestQETCBLevel(isvSVN: 8, status: .upToDate),
                    TestQETCBLevel(isvSVN: 6, status: .outOfDate, advisoryIDs: ["INTEL-SA-00615"],
                                   date: TestPKI.defaultIssueDate - 86_400 * 400)])

    /// Intel's TD quoting enclave (ISVPRODID 2, ISVSVN 4, UpToDate).
    public static let tdx = TestQuotingEnclave(
        identityID: "TD_QE",
        mrSigner: TestJSON.bytes(hex: "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5"),
        mrEnclave: TestJSON.bytes(hex: "6c3b9a4e2f1d0c8b7a695847362514f3e2d1c0b9a8978675645342312f1e0d0c"),
        isvProdID: 2, isvSVN: 4, attributes: TestJSON.bytes(hex: "11000000000000000000000000000000"),
        identityAttributes: TestJSON.bytes(hex: "11000000000000000000000000000000"),
        identityAttributesMask: TestJSON.bytes(hex: "fbffffffffffffff0000000000000000"),
        tcbLevels: [TestQETCBLevel(isvSVN: 4, status: .upToDate)])

    /// The QE identity JSON text (version 2 layout) valid from `issueDate` to `nextUpdate`.
    func identityJSON(issueDate: UInt64, nextUpdate: UInt64, tcbEvaluationDataNumber: Int) -> String {
        let miscSelectHex = TestJSON.upperHex(Array(withUnsafeBytes(of: miscSelect.littleEndian) { Array($0) }))
        let maskHex = TestJSON.upperHex(Array(withUnsafeBytes(of: miscSelectMask.littleEndian) { Array($0) }))
        return "{\"id\":" + TestJSON.string(identityID) + ",\"version\":\(identityVersion)"
            + ",\"issueDate\":\"" + UTCDate(unixSeconds: issueDate).iso8601 + "\""
            + ",\"nextUpdate\":\"" + UTCDate(unixSeconds: nextUpdate).iso8601 + "\""
            + ",\"tcbEvaluationDataNumber\":\(tcbEvaluationDataNumber)"
            + ",\"miscselect\":\"" + miscSelectHex + "\",\"miscselectMask\":\"" + maskHex + "\""
            + ",\"attributes\":\"" + TestJSON.upperHex(identityAttributes) + "\""
            + ",\"attributesMask\":\"" + TestJSON.upperHex(identityAttributesMask) + "\""
            + ",\"mrsigner\":\"" + TestJSON.upperHex(mrSigner) + "\",\"isvprodid\":\(isvProdID)"
            + ",\"tcbLevels\":[" + tcbLevels.map(\.json).joined(separator: ",") + "]}"
    }
}
