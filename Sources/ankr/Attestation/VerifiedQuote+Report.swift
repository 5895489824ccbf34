import AnkrDCAP
import AnkrPrimitives

/// What `ankr attestation verify` prints of a verified quote: the verdict, the enclave and the platform.
extension VerifiedQuote {
    /// The `--json` object (hex is 0x-prefixed lower case; MRENCLAVE/MRSIGNER/ISV fields for SGX, MRTD/RTMRs for TDX).
    var reportJSON: JSON {
        var object: [String: JSON] = [
            "status": .string(status.rawValue), "advisory_ids": .array(advisoryIDs.map(JSON.string)),
            "qe_status": .string(qeStatus.rawValue), "platform_status": .string(platformStatus.rawValue),
            "tee_type": .string(teeType.rawValue), "ppid": .string(ppid.hexPrefixed), "fmspc": .string(fmspc.hexPrefixed),
        ]
        switch body {
        case .sgx(let report):
            object["mr_enclave"] = .string(report.mrEnclave.hexPrefixed)
            object["mr_signer"] = .string(report.mrSigner.hexPrefixed)
            object["isv_prod_id"] = .int(Int64(report.isvProdID))
            object["isv_svn"] = .int(Int64(report.isvSVN))
            object["debug"] = .bool(report.debug)
            object["report_data"] = .string(report.reportData.hexPrefixed)
        case .tdx(let report):
            object["mr_td"] = .string(report.mrTD.hexPrefixed)
            for (i, rtmr) in report.rtmrs.enumerated() { object["rtmr\(i)"] = .string(rtmr.hexPrefixed) }
            object["debug"] = .bool(report.debug)
            object["report_data"] = .string(report.reportData.hexPrefixed)
        }
        return .object(object)
    }

    /// The text output, one labelled line per field.
    var reportLines: [(label: String, value: String)] {
        var lines: [(label: String, value: String)] = [
            ("status", status.rawValue), ("advisory ids", advisoryIDs.isEmpty ? "none" : advisoryIDs.joined(separator: ", ")),
            ("qe status", qeStatus.rawValue), ("platform status", platformStatus.rawValue), ("tee type", teeType.rawValue),
        ]
        switch body {
        case .sgx(let report):
            lines += [("mrenclave", report.mrEnclave.hexPrefixed), ("mrsigner", report.mrSigner.hexPrefixed),
                      ("isv prod id", String(report.isvProdID)), ("isv svn", String(report.isvSVN)), ("debug", String(report.debug)),
                      ("report data", report.reportData.hexPrefixed)]
        case .tdx(let report):
            lines.append(("mrtd", report.mrTD.hexPrefixed))
            lines += report.rtmrs.enumerated().map { ("rtmr\($0.offset)", $0.element.hexPrefixed) }
            lines += [("debug", String(report.debug)), ("report data", report.reportData.hexPrefixed)]
        }
        return lines + [("ppid", ppid.hexPrefixed), ("fmspc", fmspc.hexPrefixed)]
    }
}
