/// Reading TCB info v3 JSON: every field typed, hex of exact length, dates strict, lists bounded.
extension TCBInfo {
    static let componentCount = 16

    static func parse(_ text: [UInt8]) throws(CollateralError) -> TCBInfo {
        let r = try DocumentReader(parsing: text, limit: Collateral.Limits.tcbInfo, document: .tcbInfo)
        let id = try r.string("id", maxLength: DocumentReader.Limits.shortText)
        guard let teeType = TEEType(rawValue: id) else { throw .unsupportedID(.tcbInfo, id: id) }
        let version = try r.integer("version", as: Int64.self)
        guard version == 3 else { throw .unsupportedVersion(.tcbInfo, version: version) }
        var levels: [TCBLevel] = []
        for level in try r.objects("tcbLevels", maxCount: DocumentReader.Limits.tcbLevels) {
            levels.append(try parseLevel(level, teeType: teeType))
        }
        var module: TDXModule?
        var identities: [TDXModuleIdentity] = []
        if teeType == .tdx {
            if r.members["tdxModule"] != nil {
                let m = try r.object("tdxModule")
                module = TDXModule(mrSigner: try m.hex("mrsigner", count: 48), attributes: try m.hex("attributes", count: 8),
                                   attributesMask: try m.hex("attributesMask", count: 8))
            }
            if r.members["tdxModuleIdentities"] != nil {
                for identity in try r.objects("tdxModuleIdentities", maxCount: DocumentReader.Limits.moduleIdentities) {
                    identities.append(try parseModuleIdentity(identity))
                }
            }
        }
        return TCBInfo(
            teeType: teeType, version: version, issueDate: try r.date("issueDate"), nextUpdate: try r.date("nextUpdate"),
            fmspc: try r.hex("fmspc", count: 6), pceID: try r.hex("pceId", count: 2),
            tcbType: try r.integer("tcbType", as: UInt32.self),
            tcbEvaluationDataNumber: try r.integer("tcbEvaluationDataNumber", as: UInt32.self),
            tcbLevels: canonicalOrder(levels, teeType: teeType), tdxModule: module, tdxModuleIdentities: identities)
    }

    private static func parseLevel(_ r: DocumentReader, teeType: TEEType) throws(CollateralError) -> TCBLevel {
        let tcb = try r.object("tcb")
        let sgx = try components(tcb, "sgxtcbcomponents")
        // SGX TCB info has no TDX components; TDX TCB info needs them for every level.
        let tdx = teeType == .tdx ? try components(tcb, "tdxtcbcomponents") : []
        return TCBLevel(sgxComponents: sgx, tdxComponents: tdx, pceSVN: try tcb.integer("pcesvn", as: UInt16.self),
                        tcbDate: try r.date("tcbDate"), status: try r.status("tcbStatus"), advisoryIDs: try r.advisoryIDs())
    }

    /// The 16 `{"svn": n}` objects of a component list (TDX lists also carry `category` and `type`, not needed here).
    private static func components(_ r: DocumentReader, _ key: String) throws(CollateralError) -> [UInt8] {
        let list = try r.objects(key, maxCount: componentCount)
        guard list.count == componentCount else {
            throw .wrongLength(r.document, field: r.field(key), expected: componentCount, actual: list.count)
        }
        var svns: [UInt8] = []
        for component in list { svns.append(try component.integer("svn", as: UInt8.self)) }
        return svns
    }

    private static func parseModuleIdentity(_ r: DocumentReader) throws(CollateralError) -> TDXModuleIdentity {
        var levels: [TDXModuleTCBLevel] = []
        for level in try r.objects("tcbLevels", maxCount: DocumentReader.Limits.tcbLevels) {
            levels.append(TDXModuleTCBLevel(
                isvSVN: try level.object("tcb").integer("isvsvn", as: UInt8.self), tcbDate: try level.date("tcbDate"),
                status: try level.status("tcbStatus"), advisoryIDs: try level.advisoryIDs()))
        }
        return TDXModuleIdentity(
            id: try r.string("id", maxLength: DocumentReader.Limits.shortText), mrSigner: try r.hex("mrsigner", count: 48),
            attributes: try r.hex("attributes", count: 8), attributesMask: try r.hex("attributesMask", count: 8),
            tcbLevels: levels)
    }

    /// Intel QVL keeps TCB levels in a sorted container rather than the JSON's order: SGX components compared
    /// lexicographically, highest first, then PCE SVN, then (TDX) the TDX components. Equal keys keep their order.
    static func canonicalOrder(_ levels: [TCBLevel], teeType: TEEType) -> [TCBLevel] {
        levels.enumerated().sorted { a, b in
            if a.element.sgxComponents != b.element.sgxComponents {
                return b.element.sgxComponents.lexicographicallyPrecedes(a.element.sgxComponents)
            }
            if a.element.pceSVN != b.element.pceSVN { return a.element.pceSVN > b.element.pceSVN }
            if teeType == .tdx, a.element.tdxComponents != b.element.tdxComponents {
                return b.element.tdxComponents.lexicographicallyPrecedes(a.element.tdxComponents)
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
