import AnkrDCAP
import AnkrPrimitives
import Foundation

/// Builds `TestEvidenceCase.corpus` case by case: one PKI and platform, a reference SGX report and TD report, and
/// helpers that record a case with its verdict.
struct CorpusMinter {
    let pki: TestPKI
    let platform: TestPlatform
    let time = TestPKI.referenceTime
    var cases: [TestEvidenceCase] = []

    let sgxReport = TestSGXReport(reportData: (0..<64).map { UInt8($0) }, mrEnclave: [UInt8](repeating: 0x11, count: 32),
                                  mrSigner: [UInt8](repeating: 0x22, count: 32), isvProdID: 3, isvSVN: 4)
    let tdReport = TestTDReport(reportData: (0..<64).map { UInt8(255 - $0) }, mrTD: [UInt8](repeating: 0x33, count: 48),
                                rtmrs: (0..<4).map { [UInt8](repeating: UInt8(0x40 + $0), count: 48) })

    init(seed: UInt64) throws(TestPKIError) {
        pki = try TestPKI(seed: seed)
        platform = try pki.platform()
    }

    var sgxFields: [String: String] {
        ["mr_enclave": sgxReport.mrEnclave.hex, "mr_signer": sgxReport.mrSigner.hex,
         "report_data": sgxReport.reportData.hex, "isv_prod_id": "3", "isv_svn": "4",
         "attributes": sgxReport.attributes.hex]
    }

    func tdFields(_ report: TestTDReport) -> [String: String] {
        var fields = ["mr_td": report.mrTD.hex, "report_data": report.reportData.hex, "td_attributes": report.tdAttributes.hex,
                      "tee_tcb_svn": (report.teeTCBSVN ?? platform.teeTCBSVN).hex]
        for (index, rtmr) in report.rtmrs.enumerated() { fields["rt_mr\(index)"] = rtmr.hex }
        if report.isVersion15 {
            fields["tee_tcb_svn2"] = (report.teeTCBSVN2 ?? [UInt8](repeating: 0, count: 16)).hex
            fields["mr_service_td"] = (report.mrServiceTD ?? [UInt8](repeating: 0, count: 48)).hex
        }
        return fields
    }

    mutating func accept(_ name: String, quote: [UInt8], collateral: Collateral, status: TCBStatus,
                         advisoryIDs: [String] = [], of platform: TestPlatform? = nil, kind: String,
                         fields: [String: String]) {
        cases.append(TestEvidenceCase(
            name: name, quote: quote, collateral: collateral, time: time, rootCertificateDER: pki.rootCertificateDER,
            rootPublicKey: pki.rootPublicKey, verdict: .accepted(status: status, advisoryIDs: advisoryIDs),
            ppid: (platform ?? self.platform).ppid, reportKind: kind, reportFields: fields))
    }

    mutating func reject(_ name: String, because reason: String, root: TestPKI? = nil, quote: [UInt8],
                         collateral: Collateral, time: UInt64? = nil) {
        let root = root ?? pki
        cases.append(TestEvidenceCase(
            name: name, quote: quote, collateral: collateral, time: time ?? self.time,
            rootCertificateDER: root.rootCertificateDER, rootPublicKey: root.rootPublicKey,
            verdict: .rejected(because: reason)))
    }

    // MARK: SGX

    mutating func sgxCases() throws(TestPKIError) {
        let quote = try platform.sgxQuote(report: sgxReport)
        for status in TCBStatus.allCases where status != .revoked {
            let advisories = status == .upToDate ? [] : ["INTEL-SA-00615"]
            accept("sgx-\(status.rawValue)", quote: quote,
                   collateral: try pki.collateral(for: platform, status: status, advisoryIDs: advisories),
                   status: status, advisoryIDs: advisories, kind: "SgxEnclave", fields: sgxFields)
        }
        reject("sgx-revoked-tcb-level", because: "the platform's TCB level is Revoked", quote: quote,
               collateral: try pki.collateral(for: platform, status: .revoked, advisoryIDs: ["INTEL-SA-00001"]))

        var qeOutOfDate = TestCollateralSpec(platform: platform, status: .swHardeningNeeded,
                                             advisoryIDs: ["INTEL-SA-00615", "INTEL-SA-00289"])
        qeOutOfDate.qe.tcbLevels = [TestQETCBLevel(isvSVN: 9, status: .upToDate),
                                    TestQETCBLevel(isvSVN: 8, status: .outOfDate, advisoryIDs: ["INTEL-SA-00828", "INTEL-SA-00615"])]
        accept("sgx-qe-out-of-date-merges-with-platform", quote: quote, collateral: try pki.collateral(qeOutOfDate),
               status: .outOfDate, advisoryIDs: ["INTEL-SA-00615", "INTEL-SA-00289", "INTEL-SA-00828"],
               kind: "SgxEnclave", fields: sgxFields)

        let second = try pki.platform(index: 1, cpuSVNComponents: [3, 3, 2, 2, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                                      pceSVN: 11)
        accept("sgx-second-platform", quote: try second.sgxQuote(report: sgxReport),
               collateral: try pki.collateral(for: second), status: .upToDate, of: second, kind: "SgxEnclave",
               fields: sgxFields)

        var crlsPast2049 = TestCollateralSpec(platform: platform)
        crlsPast2049.rootCACRLNextUpdate = 2_600_000_000             // 2052: GeneralizedTime, not UTCTime
        crlsPast2049.pckCRLNextUpdate = 2_600_000_000
        accept("sgx-crls-valid-past-2049", quote: quote, collateral: try pki.collateral(crlsPast2049),
               status: .upToDate, kind: "SgxEnclave", fields: sgxFields)

        let good = try pki.collateral(for: platform)
        reject("sgx-debug-enclave", because: "the enclave is a debug enclave",
               quote: try platform.sgxQuote(report: TestSGXReport(reportData: sgxReport.reportData, debug: true)),
               collateral: good)
        reject("sgx-revoked-pck", because: "the PCK CRL revokes the PCK certificate", quote: quote,
               collateral: try pki.collateral(for: platform, revokedPCKSerials: [platform.pckSerial]))
        var revokedCA = TestCollateralSpec(platform: platform)
        revokedCA.revokedCASerials = [pki.pckCASerial]
        reject("sgx-revoked-pck-ca", because: "the root CA CRL revokes the PCK CA", quote: quote,
               collateral: try pki.collateral(revokedCA))
        var revokedSigner = TestCollateralSpec(platform: platform)
        revokedSigner.revokedCASerials = [pki.tcbSigningSerial]
        reject("sgx-revoked-tcb-signing-certificate", because: "the root CA CRL revokes the TCB signing certificate",
               quote: quote, collateral: try pki.collateral(revokedSigner))
        let expired = try pki.platform(index: 2, pckValidity: 1_600_000_000...(time - 1))
        reject("sgx-expired-pck", because: "the PCK certificate has expired",
               quote: try expired.sgxQuote(report: sgxReport), collateral: try pki.collateral(for: expired))
        let early = try pki.platform(index: 3, pckValidity: (time + 1)...TestPKI.defaultValidity.upperBound)
        reject("sgx-pck-not-yet-valid", because: "the PCK certificate is not valid yet",
               quote: try early.sgxQuote(report: sgxReport), collateral: try pki.collateral(for: early))
        let wrongFMSPC = try pki.platform(index: 4, fmspc: [0x00, 0x90, 0x6E, 0xD5, 0x00, 0x01])
        reject("sgx-wrong-fmspc", because: "the TCB info is for another FMSPC",
               quote: try wrongFMSPC.sgxQuote(report: sgxReport), collateral: good)
        reject("sgx-before-issue-date", because: "the TCB info is not issued yet", quote: quote, collateral: good,
               time: TestPKI.defaultIssueDate - 1)
        reject("sgx-after-next-update", because: "the TCB info is stale", quote: quote, collateral: good,
               time: TestPKI.defaultNextUpdate + 1)
        var pckCRLStale = TestCollateralSpec(platform: platform)
        pckCRLStale.pckCRLNextUpdate = time - 1
        reject("sgx-pck-crl-stale", because: "the PCK CRL is past its next update", quote: quote,
               collateral: try pki.collateral(pckCRLStale))
        var rootCRLStale = TestCollateralSpec(platform: platform)
        rootCRLStale.rootCACRLNextUpdate = time - 1
        reject("sgx-root-ca-crl-stale", because: "the root CA CRL is past its next update", quote: quote,
               collateral: try pki.collateral(rootCRLStale))
        var tamperedTCBInfo = good
        tamperedTCBInfo.tcbInfo = good.tcbInfo.replacingOccurrences(of: "\"pcesvn\":13", with: "\"pcesvn\":12")
        reject("sgx-tcb-info-tampered", because: "the TCB info signature does not match", quote: quote,
               collateral: tamperedTCBInfo)
        var tamperedQEIdentity = good
        tamperedQEIdentity.qeIdentity = good.qeIdentity.replacingOccurrences(of: "\"isvsvn\":8", with: "\"isvsvn\":7")
        reject("sgx-qe-identity-tampered", because: "the QE identity signature does not match", quote: quote,
               collateral: tamperedQEIdentity)
        var noLevel = TestCollateralSpec(platform: platform)
        noLevel.tcbLevels = [TestTCBLevel(sgxComponents: [UInt8](repeating: 20, count: 16), pceSVN: 13, status: .upToDate)]
        reject("sgx-no-matching-tcb-level", because: "no TCB level matches the platform", quote: quote,
               collateral: try pki.collateral(noLevel))
        var qeTooOld = TestCollateralSpec(platform: platform)
        qeTooOld.qe.tcbLevels = [TestQETCBLevel(isvSVN: 9, status: .upToDate)]
        reject("sgx-qe-below-every-level", because: "no QE identity level matches the QE", quote: quote,
               collateral: try pki.collateral(qeTooOld))
        var otherQE = TestCollateralSpec(platform: platform)
        otherQE.qe.mrSigner = [UInt8](repeating: 0x77, count: 32)
        reject("sgx-qe-mrsigner-mismatch", because: "the QE is not the one the QE identity names", quote: quote,
               collateral: try pki.collateral(otherQE))
        let faults: [(String, TestQuoteFaults)] = [
            ("sgx-qe-report-data-unbound", .qeReportDataUnbound),
            ("sgx-qe-report-signed-by-other-key", .qeReportSignedByOtherKey),
            ("sgx-quote-signed-by-other-key", .quoteSignedByOtherKey),
            ("sgx-foreign-qe-vendor", .foreignQEVendor),
            ("sgx-p384-attestation-key-type", .p384AttestationKeyType),
        ]
        for (name, fault) in faults {
            reject(name, because: "the quote's chain of signatures is broken",
                   quote: try platform.sgxQuote(report: sgxReport, faults: fault), collateral: good)
        }
        let foreign = try TestPKI(seed: pki.seed &+ 1)
        reject("sgx-foreign-root", because: "the PCK certificate chains to another root",
               quote: try foreign.platform().sgxQuote(report: sgxReport), collateral: good)
        // The same seed gives the same keys: a PKI whose PCK CA (or TCB signing certificate) has expired.
        let staleCA = try TestPKI(seed: pki.seed, pckCAValidity: 1_600_000_000...(time - 1))
        let staleCAPlatform = try staleCA.platform()
        reject("sgx-expired-pck-ca", because: "the PCK CA certificate has expired", root: staleCA,
               quote: try staleCAPlatform.sgxQuote(report: sgxReport), collateral: try staleCA.collateral(for: staleCAPlatform))
        let staleSigner = try TestPKI(seed: pki.seed, tcbSigningValidity: 1_600_000_000...(time - 1))
        let staleSignerPlatform = try staleSigner.platform()
        reject("sgx-expired-tcb-signing-certificate", because: "the TCB signing certificate has expired", root: staleSigner,
               quote: try staleSignerPlatform.sgxQuote(report: sgxReport),
               collateral: try staleSigner.collateral(for: staleSignerPlatform))
        var crlsOutliveDocuments = TestCollateralSpec(platform: platform)
        crlsOutliveDocuments.rootCACRLNextUpdate = TestPKI.defaultNextUpdate + 86_400
        crlsOutliveDocuments.pckCRLNextUpdate = TestPKI.defaultNextUpdate + 86_400
        reject("sgx-tcb-info-stale", because: "the TCB info and QE identity are past their next update", quote: quote,
               collateral: try pki.collateral(crlsOutliveDocuments), time: TestPKI.defaultNextUpdate + 1)
        reject("sgx-quote-with-tdx-collateral", because: "the TCB info is for TDX", quote: quote,
               collateral: try pki.collateral(for: platform, tee: .tdx))
    }

    // MARK: TDX

    mutating func tdxCases() throws(TestPKIError) {
        let quote = try platform.tdxQuote(report: tdReport)
        let good = try pki.collateral(for: platform, tee: .tdx)
        accept("tdx-v4-UpToDate", quote: quote, collateral: good, status: .upToDate, kind: "TD10",
               fields: tdFields(tdReport))
        accept("tdx-v4-OutOfDate", quote: quote,
               collateral: try pki.collateral(for: platform, tee: .tdx, status: .outOfDate, advisoryIDs: ["INTEL-SA-00837"]),
               status: .outOfDate, advisoryIDs: ["INTEL-SA-00837"], kind: "TD10", fields: tdFields(tdReport))
        accept("tdx-v5-td-report-1.0", quote: try platform.tdxQuote(report: tdReport, version: 5), collateral: good,
               status: .upToDate, kind: "TD10", fields: tdFields(tdReport))
        var td15 = tdReport
        td15.teeTCBSVN2 = [3, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        accept("tdx-v5-td-report-1.5", quote: try platform.tdxQuote(report: td15, version: 5), collateral: good,
               status: .upToDate, kind: "TD15", fields: tdFields(td15))
        var moduleOutOfDate = TestCollateralSpec(platform: platform, tee: .tdx)
        moduleOutOfDate.tdxModule = TestTDXModule.placing(platform, at: .outOfDate)
        accept("tdx-module-out-of-date", quote: quote, collateral: try pki.collateral(moduleOutOfDate),
               status: .outOfDate, kind: "TD10", fields: tdFields(tdReport))

        var serviceTD = tdReport
        serviceTD.teeTCBSVN2 = td15.teeTCBSVN2
        serviceTD.mrServiceTD = [UInt8](repeating: 0x01, count: 48)
        reject("tdx-v5-service-td", because: "MRSERVICETD is set (dcap-qvl refuses service TDs by default)",
               quote: try platform.tdxQuote(report: serviceTD, version: 5), collateral: good)
        var debug = tdReport
        debug.tdAttributes = TestTDReport.tdAttributes(debug: true)
        reject("tdx-debug-td", because: "the TD is a debug TD", quote: try platform.tdxQuote(report: debug),
               collateral: good)
        var otherModule = TestCollateralSpec(platform: platform, tee: .tdx)
        otherModule.tdxModule?.mrSigner = [UInt8](repeating: 0x01, count: 48)
        otherModule.tdxModule?.identities[0].mrSigner = [UInt8](repeating: 0x01, count: 48)
        reject("tdx-module-signer-mismatch", because: "the TDX module is not the one the TCB info names",
               quote: quote, collateral: try pki.collateral(otherModule))
        var behind = tdReport
        behind.teeTCBSVN = [3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        reject("tdx-tee-tcb-below-every-level", because: "no TCB level matches the TEE TCB SVN",
               quote: try platform.tdxQuote(report: behind), collateral: good)
        reject("tdx-quote-with-sgx-collateral", because: "the TCB info is for SGX", quote: quote,
               collateral: try pki.collateral(for: platform))
        reject("tdx-revoked-pck", because: "the PCK CRL revokes the PCK certificate", quote: quote,
               collateral: try pki.collateral(for: platform, tee: .tdx, revokedPCKSerials: [platform.pckSerial]))
        reject("tdx-quote-signed-by-other-key", because: "the quote's chain of signatures is broken",
               quote: try platform.tdxQuote(report: tdReport, faults: .quoteSignedByOtherKey), collateral: good)
    }
}
