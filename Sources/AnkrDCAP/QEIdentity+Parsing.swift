/// Reading QE identity JSON: every field typed, hex of exact length, dates strict, lists bounded.
extension QEIdentity {
    static func parse(_ text: [UInt8]) throws(CollateralError) -> QEIdentity {
        let r = try DocumentReader(parsing: text, limit: Collateral.Limits.qeIdentity, document: .qeIdentity)
        let id = try r.string("id", maxLength: DocumentReader.Limits.shortText)
        guard ids.contains(id) else { throw .unsupportedID(.qeIdentity, id: id) }
        let version = try r.integer("version", as: Int64.self)
        guard version == 2 || version == 3 else { throw .unsupportedVersion(.qeIdentity, version: version) }
        var levels: [QETCBLevel] = []
        for level in try r.objects("tcbLevels", maxCount: DocumentReader.Limits.tcbLevels) {
            levels.append(QETCBLevel(
                isvSVN: try level.object("tcb").integer("isvsvn", as: UInt16.self), tcbDate: try level.date("tcbDate"),
                status: try level.status("tcbStatus"), advisoryIDs: try level.advisoryIDs()))
        }
        return QEIdentity(
            id: id, version: version, issueDate: try r.date("issueDate"), nextUpdate: try r.date("nextUpdate"),
            tcbEvaluationDataNumber: try r.integer("tcbEvaluationDataNumber", as: UInt32.self),
            miscSelect: try r.hex("miscselect", count: 4), miscSelectMask: try r.hex("miscselectMask", count: 4),
            attributes: try r.hex("attributes", count: 16), attributesMask: try r.hex("attributesMask", count: 16),
            mrSigner: try r.hex("mrsigner", count: 32), isvProdID: try r.integer("isvprodid", as: UInt16.self),
            tcbLevels: levels)
    }
}
