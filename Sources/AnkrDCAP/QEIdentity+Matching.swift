/// Rating a quoting enclave's report against the QE identity, as dcap-qvl 0.7.0 (after Intel QVL) does.
extension QEIdentity {
    /// Checks the report is of the quoting enclave this identity describes (MRSIGNER, not in debug mode, ISVPRODID,
    /// MISCSELECT and ATTRIBUTES under their masks) and gives the first level whose ISV SVN it meets.
    public func qeStatus(for report: QEReportIdentity) throws(CollateralError) -> TCBLevelMatch {
        guard report.mrSigner.count == 32 else { throw .invalidInput(field: "mrSigner", expected: 32, actual: report.mrSigner.count) }
        guard report.attributes.count == 16 else {
            throw .invalidInput(field: "attributes", expected: 16, actual: report.attributes.count)
        }
        guard report.mrSigner == mrSigner else { throw .qeSignerMismatch(expected: mrSigner, actual: report.mrSigner) }
        // ATTRIBUTES bit 1 is DEBUG: a debug quoting enclave's signatures prove nothing, whatever the masks say.
        guard report.attributes[0] & 0x02 == 0 else { throw .qeDebugEnabled }
        guard report.isvProdID == isvProdID else { throw .qeProductIDMismatch(expected: isvProdID, actual: report.isvProdID) }
        let mask = Self.littleEndian(miscSelectMask)
        guard report.miscSelect & mask == Self.littleEndian(miscSelect) & mask else {
            throw .qeMiscSelectMismatch(expected: Self.littleEndian(miscSelect) & mask, actual: report.miscSelect & mask)
        }
        for i in 0..<16 where report.attributes[i] & attributesMask[i] != attributes[i] & attributesMask[i] {
            throw .qeAttributesMismatch(expected: attributes, mask: attributesMask, actual: report.attributes)
        }
        guard let level = tcbLevels.first(where: { report.isvSVN >= $0.isvSVN }) else {
            throw .qeSVNTooLow(svn: report.isvSVN)
        }
        return TCBLevelMatch(status: level.status, advisoryIDs: level.advisoryIDs)
    }

    private static func littleEndian(_ bytes: [UInt8]) -> UInt32 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
}
