import AnkrDCAP
import AnkrPrimitives
import XCTest

final class CollateralTests: XCTestCase {
    private func object() throws -> [String: JSON] {
        try XCTUnwrap(JSON(parsing: TCBFixtures.realCollateralJSON()).object)
    }

    private func refusal(_ object: [String: JSON]) -> CollateralError? {
        refusal(JSON.object(object).serialized())
    }

    private func refusal(_ bytes: [UInt8]) -> CollateralError? {
        do {
            _ = try Collateral(json: bytes)
            return nil
        } catch {
            guard case .collateral(let reason) = error else {
                XCTFail("collateral refused with a non-collateral error \(error)")
                return nil
            }
            return reason
        }
    }

    func testRealCollateralParsesAndWritesBackTheSameLayout() throws {
        let collateral = try TCBFixtures.realCollateral()
        XCTAssertEqual(collateral.tcbInfoSignature.count, 64)
        XCTAssertEqual(collateral.qeIdentitySignature.count, 64)
        XCTAssertEqual(collateral.rootCACRL.first, 0x30)
        XCTAssertEqual(collateral.pckCRL.first, 0x30)
        XCTAssertTrue(collateral.tcbInfo.hasPrefix(#"{"id":"SGX","version":3,"#))
        XCTAssertTrue(collateral.qeIdentity.hasPrefix(#"{"id":"QE","version":2,"#))
        XCTAssertTrue(collateral.tcbInfoIssuerChain.hasPrefix("-----BEGIN CERTIFICATE-----"))

        let written = try XCTUnwrap(JSON(parsing: collateral.json).object)
        let original = try object()
        XCTAssertEqual(Set(written.keys), Set(original.keys))
        for (key, value) in original {
            XCTAssertEqual(written[key]?.string?.lowercased(), value.string?.lowercased(), key)
        }
        XCTAssertEqual(try Collateral(json: collateral.json), collateral)
    }

    func testEveryMissingKeyIsNamed() throws {
        for key in try object().keys {
            var object = try object()
            object[key] = nil
            XCTAssertEqual(refusal(object), .missingField(.collateral, field: key))
        }
    }

    func testUnknownKeyIsRefusedButDcapQvlsPCKChainIsAccepted() throws {
        var object = try object()
        object["tcb_info_extra"] = "x"
        XCTAssertEqual(refusal(object), .unknownField(.collateral, field: "tcb_info_extra"))

        object["tcb_info_extra"] = nil
        object["pck_certificate_chain"] = "-----BEGIN CERTIFICATE-----"
        XCTAssertNil(refusal(object))
        object["pck_certificate_chain"] = 5
        XCTAssertEqual(refusal(object), .wrongType(.collateral, field: "pck_certificate_chain", expected: "a string", found: "a number"))
    }

    func testWrongTypesAreRefused() throws {
        var object = try object()
        object["root_ca_crl"] = .array([1, 2, 3])
        XCTAssertEqual(refusal(object), .wrongType(.collateral, field: "root_ca_crl", expected: "a string", found: "an array"))
        object = try self.object()
        object["tcb_info"] = .object(["id": "SGX"])
        XCTAssertEqual(refusal(object), .wrongType(.collateral, field: "tcb_info", expected: "a string", found: "an object"))
        XCTAssertEqual(refusal(Array("[]".utf8)), .wrongType(.collateral, field: "(top level)", expected: "an object", found: "an array"))
    }

    func testBadHexIsRefused() throws {
        let signature = try XCTUnwrap(object()["tcb_info_signature"]?.string)
        let cases: [(String, CollateralError)] = [
            (String(signature.dropLast()), .invalidHex(.collateral, field: "tcb_info_signature")),
            (String(signature.dropLast(2)), .wrongLength(.collateral, field: "tcb_info_signature", expected: 64, actual: 63)),
            (signature + "00", .wrongLength(.collateral, field: "tcb_info_signature", expected: 64, actual: 65)),
            ("0x" + signature.dropFirst(2), .invalidHex(.collateral, field: "tcb_info_signature")),
            ("zz" + signature.dropFirst(2), .invalidHex(.collateral, field: "tcb_info_signature")),
        ]
        for (value, expected) in cases {
            var object = try object()
            object["tcb_info_signature"] = .string(value)
            XCTAssertEqual(refusal(object), expected, value)
        }
        var object = try object()
        object["pck_crl"] = "3"
        XCTAssertEqual(refusal(object), .invalidHex(.collateral, field: "pck_crl"))
    }

    func testTruncatedCollateralIsRefusedWithoutTrapping() throws {
        let bytes = try TCBFixtures.realCollateralJSON()
        for length in stride(from: 0, to: bytes.count, by: 61) {
            guard case .malformedJSON(.collateral, _)? = refusal(Array(bytes.prefix(length))) else {
                return XCTFail("a prefix of \(length) bytes was not refused as malformed")
            }
        }
    }

    func testOversizedDocumentAndFieldsAreRefused() throws {
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20)
        var document = Array(#"{"tcb_info":""#.utf8) + huge + Array(#""}"#.utf8)
        XCTAssertEqual(refusal(document), .documentTooLarge(.collateral, size: document.count, limit: Collateral.Limits.document))
        document = Array(repeating: UInt8(ascii: "["), count: 600)
        guard case .malformedJSON? = refusal(document) else { return XCTFail("deep nesting was not refused") }

        var object = try object()
        object["tcb_info"] = .string(String(repeating: "x", count: Collateral.Limits.tcbInfo + 1))
        XCTAssertEqual(refusal(object), .fieldTooLarge(.collateral, field: "tcb_info", size: Collateral.Limits.tcbInfo + 1,
                                                       limit: Collateral.Limits.tcbInfo))
        object = try self.object()
        object["tcb_info_issuer_chain"] = .string(String(repeating: "x", count: Collateral.Limits.issuerChain + 1))
        XCTAssertEqual(refusal(object), .fieldTooLarge(.collateral, field: "tcb_info_issuer_chain",
                                                       size: Collateral.Limits.issuerChain + 1, limit: Collateral.Limits.issuerChain))
        object = try self.object()
        object["root_ca_crl"] = .string(String(repeating: "ab", count: Collateral.Limits.crl + 1))
        guard case .fieldTooLarge(.collateral, field: "root_ca_crl", _, _)? = refusal(object) else {
            return XCTFail("an oversized CRL was not refused")
        }
    }

    func testErrorDescriptionsNameTheField() {
        XCTAssertEqual(DCAPError.collateral(.missingField(.collateral, field: "tcb_info")).description,
                       "collateral: collateral lacks tcb_info")
        XCTAssertEqual(CollateralError.wrongLength(.tcbInfo, field: "fmspc", expected: 6, actual: 5).description,
                       "TCB info fmspc is 5 bytes, expected 6")
    }
}
