/// Rating a platform against the TCB levels, as dcap-qvl 0.7.0 (after Intel QVL) does.
extension TCBInfo {
    /// The status and advisories of the first level (in ``tcbLevels``' order) whose every SGX component and PCE SVN
    /// the platform meets, and for TDX every TDX component too (bytes 2 to 15 when the TDX module has a major version);
    /// for TDX merged with the TDX module's level.
    ///
    /// Refuses a TCB info for another TEE, FMSPC or PCE-ID than the PCK certificate's.
    public func platformStatus(for platform: PlatformTCB) throws(CollateralError) -> TCBLevelMatch {
        try Self.checkLength("fmspc", platform.fmspc, 6)
        try Self.checkLength("pceID", platform.pceID, 2)
        try Self.checkLength("cpuSVNComponents", platform.cpuSVNComponents, Self.componentCount)
        guard platform.teeType == teeType else { throw .wrongTEEType(.tcbInfo, id: teeType.rawValue, teeType: platform.teeType) }
        guard platform.fmspc == fmspc else { throw .fmspcMismatch(expected: fmspc, actual: platform.fmspc) }
        guard platform.pceID == pceID else { throw .pceIDMismatch(expected: pceID, actual: platform.pceID) }
        guard teeType == .tdx else { return try levelMatch(platform, module: nil) }
        guard let tdx = platform.tdx else { throw .missingTDXReport }
        try Self.checkLength("teeTCBSVN", tdx.teeTCBSVN, Self.componentCount)
        try Self.checkLength("mrSignerSeam", tdx.mrSignerSeam, 48)
        try Self.checkLength("seamAttributes", tdx.seamAttributes, 8)
        let match = try levelMatch(platform, module: tdx)
        if let current = tdx.teeTCBSVN2 {
            // dcap-qvl 0.7.0 also rates a TD report 1.5's current module (TEE_TCB_SVN2) and refuses the quote when
            // that fails. The status stays TEE_TCB_SVN's: where only the current TCB is up to date dcap-qvl says
            // TDRelaunchAdvised(ConfigurationNeeded), statuses TCBStatus does not have.
            try Self.checkLength("teeTCBSVN2", current, Self.componentCount)
            var running = tdx
            running.teeTCBSVN = current
            do {
                _ = try levelMatch(platform, module: running)
            } catch {
                throw .currentTDXTCB(error)
            }
        }
        return match
    }

    /// The first level `platform` (and for TDX, `module`'s TEE TCB SVN) meets, merged with the module's own level.
    private func levelMatch(_ platform: PlatformTCB, module: TDXModuleTCB?) throws(CollateralError) -> TCBLevelMatch {
        for level in tcbLevels where platform.pceSVN >= level.pceSVN && Self.meets(platform.cpuSVNComponents, level.sgxComponents) {
            var match = TCBLevelMatch(status: level.status, advisoryIDs: level.advisoryIDs)
            if let module {
                // With a module major version (TEE TCB SVN byte 1) the module's two bytes are rated by its
                // identity's levels instead (dcap-qvl 0.7.0, after Intel QVL), so the level compares bytes 2 to 15.
                let skipped = module.teeTCBSVN[1] > 0 ? 2 : 0
                guard Self.meets(Array(module.teeTCBSVN.dropFirst(skipped)), Array(level.tdxComponents.dropFirst(skipped))) else {
                    continue
                }
                if let moduleMatch = try moduleStatus(for: module) {
                    match = match.merged(with: moduleMatch)
                }
            }
            return match
        }
        throw .noMatchingTCBLevel
    }

    /// The TDX module check: MRSIGNERSEAM and masked SEAMATTRIBUTES against `tdxModule` for major version 0, or
    /// against the `tdxModuleIdentities` entry `TDX_<major>` (which must exist) when the module's major version (TEE
    /// TCB SVN byte 1) is not 0; that entry's levels then rate the module by its ISV SVN (byte 0). Nil for version 0.
    func moduleStatus(for module: TDXModuleTCB) throws(CollateralError) -> TCBLevelMatch? {
        guard let base = tdxModule else { throw .missingTDXModule }
        let isvSVN = module.teeTCBSVN[0]
        let majorVersion = module.teeTCBSVN[1]
        var expected = (mrSigner: base.mrSigner, attributes: base.attributes, mask: base.attributesMask)
        var levels: [TDXModuleTCBLevel]?
        if majorVersion > 0 {
            let wanted = "TDX_" + Self.twoHexDigits(majorVersion)
            guard let identity = tdxModuleIdentities.first(where: { Self.equalIgnoringASCIICase($0.id, wanted) }) else {
                throw .tdxModuleIdentityNotFound(id: wanted)
            }
            expected = (identity.mrSigner, identity.attributes, identity.attributesMask)
            levels = identity.tcbLevels
        }
        guard module.mrSignerSeam == expected.mrSigner else {
            throw .tdxModuleSignerMismatch(expected: expected.mrSigner, actual: module.mrSignerSeam)
        }
        // Masked bits must match and, as dcap-qvl insists, no bit outside the mask may be set.
        for i in 0..<8 {
            let actual = module.seamAttributes[i], mask = expected.mask[i]
            guard actual & mask == expected.attributes[i] & mask, actual & ~mask == 0 else {
                throw .tdxModuleAttributesMismatch(expected: expected.attributes, mask: expected.mask,
                                                   actual: module.seamAttributes)
            }
        }
        guard let levels else { return nil }
        guard let level = levels.first(where: { isvSVN >= $0.isvSVN }) else { throw .tdxModuleSVNTooLow(svn: isvSVN) }
        return TCBLevelMatch(status: level.status, advisoryIDs: level.advisoryIDs)
    }

    /// Whether every component of `svns` is at least the level's (both 16 long, checked before).
    private static func meets(_ svns: [UInt8], _ level: [UInt8]) -> Bool {
        zip(svns, level).allSatisfy { $0 >= $1 }
    }

    private static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        func lower(_ c: UInt8) -> UInt8 { c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c + 32 : c }
        return a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { lower($0) == lower($1) }
    }

    private static func twoHexDigits(_ value: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(value >> 4)], digits[Int(value & 0x0F)]])
    }

    private static func checkLength(_ field: String, _ bytes: [UInt8], _ expected: Int) throws(CollateralError) {
        guard bytes.count == expected else { throw .invalidInput(field: field, expected: expected, actual: bytes.count) }
    }
}
