import AnkrChain
import AnkrCrypto
import AnkrEnclave
import AnkrOracle
import AnkrPrimitives
import AnkrTestSupport
import XCTest

/// The payment-proof datagram: an Open Banking payment status read into a signed settled yes/no,
/// settled only when every field of the query matches.
final class PaymentProofTests: XCTestCase {
    static let url = "https://Bank.Example:8443/open-banking/v3.1/pisp/domestic-payments/58923"

    static func status(_ status: String = "AcceptedCreditSettlementCompleted", amount: String = "1200.00", currency: String = "GBP",
                       account: String = "GB29 NWBK 6016 1331 9268 19", reference: String = "LEASE-7-0", time: String = "2026-12-01T09:30:00+00:00",
                       scheme: String = "UK.OBIE.IBAN", secondary: String? = nil) -> [UInt8] {
        Array("""
        {"Data": {"DomesticPaymentId": "58923", "ConsentId": "7290", "Status": "\(status)", "CreationDateTime": "2026-12-01T09:29:00+00:00",
          "StatusUpdateDateTime": "\(time)",
          "Initiation": {"InstructionIdentification": "ACME412", "EndToEndIdentification": "FRESCO.21302.GFX.20",
            "InstructedAmount": {"Amount": "\(amount)", "Currency": "\(currency)"},
            "CreditorAccount": {"SchemeName": "\(scheme)", "Identification": "\(account)", "Name": "Landlord Ltd"\(secondary.map { ", \"SecondaryIdentification\": \"\($0)\"" } ?? "")},
            "RemittanceInformation": {"Reference": "\(reference)", "Unstructured": "rent"}}},
         "Links": {"Self": "https://bank.example/open-banking/v3.1/pisp/domestic-payments/58923"}, "Meta": {}}
        """.utf8)
    }

    let query = try! PaymentQuery(url: PaymentProofTests.url, reference: "LEASE-7-0", amount: UInt256(UInt64(120_000)), currency: "GBP", creditorAccount: "gb29nwbk60161331926819",
                                   creditorScheme: "UK.OBIE.IBAN")
    static let lease = PrivateKey.random().publicKey.address

    func proof(_ body: [UInt8]) throws -> PaymentProof { try PaymentProof.answer(query, document: try OracleJSON(parsing: body)) }

    func testASettledMatchingTransferIsProvenAndEveryMismatchIsNot() throws {
        let yes = try proof(Self.status())
        XCTAssertEqual(yes, PaymentProof(settled: true, amount: UInt256(UInt64(120_000)), currency: "GBP", reference: "LEASE-7-0", settledAt: 1_796_117_400,
                                         bank: "bank.example:8443",
                                         creditorAccountHash: PaymentProof.accountHash(scheme: "UK.OBIE.IBAN", identification: "GB29NWBK60161331926819")))
        XCTAssertEqual(yes.creditorAccountHash, Keccak256.h256(try ABI.encode([.string("UK.OBIE.IBAN"), .string("GB29NWBK60161331926819"), .string("")],
                                                                           types: [.string, .string, .string])))
        XCTAssertEqual(PaymentProof(decoding: try yes.encoded()), yes)
        for (body, why) in [(Self.status("AcceptedSettlementCompleted"), "only the debtor's side finished: it can still be returned"),
                            (Self.status(scheme: "UK.OBIE.SortCodeAccountNumber"), "another scheme"),
                            (Self.status(secondary: "ROLL-2"), "a building society member's own roll number at the landlord's account number"),
                            (Self.status("Pending"), "pending"), (Self.status("AcceptedSettlementInProcess"), "in process"), (Self.status("Rejected"), "rejected"),
                            (Self.status(amount: "1200.01"), "a penny more"), (Self.status(amount: "120.00"), "a tenth"), (Self.status(currency: "EUR"), "euros"),
                            (Self.status(account: "GB29NWBK60161331926818"), "another account"), (Self.status(reference: "LEASE-7-1"), "next month's reference"),
                            (Self.status(reference: "lease-7-0"), "the reference in another case")] {
            let no = try proof(body)
            XCTAssertFalse(no.settled, why)
            XCTAssertEqual(no.settledAt, 0, why)
        }
        // A "no" says what the bank reported.
        let wrong = try proof(Self.status(amount: "1100"))
        XCTAssertEqual(wrong.amount, UInt256(UInt64(110_000)))
        XCTAssertEqual(wrong.currency, "GBP")
        XCTAssertEqual(wrong.reference, "LEASE-7-0")
    }

    func testAmountsAreExactInTheCurrencysMinorUnits() {
        XCTAssertEqual(PaymentProof.minorUnits("1200", currency: "GBP"), UInt256(UInt64(120_000)))
        XCTAssertEqual(PaymentProof.minorUnits("1200.5", currency: "EUR"), UInt256(UInt64(120_050)))
        XCTAssertEqual(PaymentProof.minorUnits("1200.50000", currency: "EUR"), UInt256(UInt64(120_050)))
        XCTAssertEqual(PaymentProof.minorUnits("150000", currency: "JPY"), UInt256(UInt64(150_000)))
        XCTAssertEqual(PaymentProof.minorUnits("1.234", currency: "KWD"), UInt256(UInt64(1_234)))
        XCTAssertEqual(PaymentProof.minorUnits("9999999999999.99999", currency: "CLF"), nil, "below CLF's 4 decimals")
        for bad in ["12.345", "1e3", "-5", "", ".5", "5.", "1,200.00", "12345678901234", "0x10", " 12", "1.2.3", "١٢"] {
            XCTAssertNil(PaymentProof.minorUnits(bad, currency: "GBP"), bad)
        }
        XCTAssertNil(PaymentProof.minorUnits("150.5", currency: "JPY"))
    }

    func testOpenBankingTimesAndMalformedStatuses() throws {
        XCTAssertEqual(PaymentProof.unixTime(iso8601: "1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(PaymentProof.unixTime(iso8601: "2017-06-05T15:15:13+00:00"), 1_496_675_713)
        XCTAssertEqual(PaymentProof.unixTime(iso8601: "2017-06-05T16:15:13.123+01:00"), 1_496_675_713)
        XCTAssertEqual(PaymentProof.unixTime(iso8601: "2024-02-29T23:59:59-05:30"), 1_709_270_999)
        for bad in ["2023-02-29T00:00:00Z", "2017-06-05 15:15:13Z", "2017-06-05T15:15:13", "2017-13-01T00:00:00Z", "2017-06-05T24:00:00Z",
                    "1969-12-31T23:59:59Z", "2017-06-05T15:15:13+0000", "2017-06-05T15:15:13Zjunk", "2017-06-05T15:15:13.Z", ""] {
            XCTAssertNil(PaymentProof.unixTime(iso8601: bad), bad)
        }
        XCTAssertThrowsError(try proof(Array(#"{"Data": {"Status": "AcceptedSettlementCompleted"}}"#.utf8))) {
            guard case OracleError.pathNotFound = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try proof(Self.status(amount: "12.345")))
        XCTAssertThrowsError(try proof(Self.status(currency: "pounds")))
        XCTAssertThrowsError(try proof(Self.status(time: "yesterday")), "a settled status needs its time")
        XCTAssertFalse(try proof(Self.status("Pending", time: "yesterday")).settled, "an unsettled one does not")
        // With a secondary identification in the query, only the payment to that roll number settles; the hash covers it.
        let roll = try PaymentQuery(url: Self.url, reference: "LEASE-7-0", amount: UInt256(UInt64(120_000)), currency: "GBP", creditorAccount: "GB29NWBK60161331926819",
                                    creditorScheme: "UK.OBIE.IBAN", creditorSecondary: "roll 1")
        let rolled = try PaymentProof.answer(roll, document: try OracleJSON(parsing: Self.status(secondary: "ROLL1")))
        XCTAssertTrue(rolled.settled)
        XCTAssertNotEqual(rolled.creditorAccountHash, try proof(Self.status()).creditorAccountHash)
        XCTAssertFalse(try PaymentProof.answer(roll, document: try OracleJSON(parsing: Self.status(secondary: "ROLL2"))).settled)
        XCTAssertFalse(try PaymentProof.answer(roll, document: try OracleJSON(parsing: Self.status())).settled)
        XCTAssertThrowsError(try PaymentQuery(url: Self.url, reference: "", amount: .one, currency: "GBP", creditorAccount: "x", creditorScheme: "UK.OBIE.IBAN"))
        XCTAssertThrowsError(try PaymentQuery(url: Self.url, reference: "r", amount: .one, currency: "gbp", creditorAccount: "x", creditorScheme: "UK.OBIE.IBAN"))
        XCTAssertThrowsError(try PaymentQuery(url: Self.url, reference: "r", amount: .one, currency: "GBP", creditorAccount: "x", creditorScheme: ""))
        XCTAssertEqual(PaymentQuery.defaultScheme(for: "gb29 nwbk 6016 1331 9268 19"), "UK.OBIE.IBAN")
        XCTAssertEqual(PaymentQuery.defaultScheme(for: "20-00-00 55779911"), "UK.OBIE.SortCodeAccountNumber")
        XCTAssertThrowsError(try PaymentQuery(params: [1, 2, 3]))
        XCTAssertEqual(try PaymentQuery(params: try query.encoded()), query)
    }

    func testTheEnclaveAnswersAPaymentRequestSignedAndPublicWithoutReaders() async throws {
        struct Bank: DataSource {
            let token: String
            func fetch(_ url: String) async throws -> [UInt8] { throw DataSourceError.status(401) }
            func fetch(_ request: SourceRequest) async throws -> [UInt8] {
                guard request.url == PaymentProofTests.url, request.headers.contains(where: { $0.name == "Authorization" && $0.value == "Bearer \(token)" }) else {
                    throw DataSourceError.status(401)
                }
                return PaymentProofTests.status()
            }
        }
        let platform = try SimulatedPlatform(id: Keccak256.h256([5]), key: PrivateKey.random(), root: DevelopmentAttestationRoot(key: PrivateKey.random()))
        let enclave = SimulatedEnclave(name: "ankr-oracle-v1", platform: platform)
        let oracle = OracleEnclave(enclave: enclave, chainID: 7331, source: Bank(token: "tok-1"))
        func ask(_ token: String, boundTo: Address? = PaymentProofTests.lease, askedBy: Address? = PaymentProofTests.lease) async throws -> OracleAnswer {
            let params = try OraclePrivateEnvelope(params: try query.encoded(), readers: [], headers: [try SourceHeader(name: "Authorization", value: "Bearer \(token)")],
                                                   requester: boundTo)
                .sealed(to: enclave.publicKey)
            let type = OracleRequestKind.payment.rawValue | OracleRequestKind.privateFlag
            XCTAssertEqual(type, 0x84)
            let a = try await oracle.answer(OracleRequest(id: UInt256(UInt64(11)), type: type, params: params, requester: askedBy))
            let d = OracleDatagram(chainID: 7331, contract: NOSContract.address, requestID: UInt256(UInt64(11)), paramsHash: Keccak256.h256(params),
                                   error: a.error.rawValue, data: a.data)
            XCTAssertEqual(try d.signer(of: a.signature), enclave.publicKey.address)
            return a
        }
        let good = try await ask("tok-1")
        XCTAssertEqual(good.error, OracleErrorCode.none)
        XCTAssertEqual(PaymentProof(decoding: good.data)?.settled, true)
        let bad = try await ask("tok-2")
        XCTAssertEqual(bad.error, .sourceUnauthorized)
        // The sealed query copied into another lease's request (or anyone's), or one naming no requester: refused before the bank is asked.
        let copied = try await ask("tok-1", askedBy: PrivateKey.random().publicKey.address)
        XCTAssertEqual(copied.error, .invalidParams)
        XCTAssertTrue(copied.data.isEmpty)
        let scheduled = try await ask("tok-1", askedBy: nil)
        XCTAssertEqual(scheduled.error, .invalidParams)
        let unbound = try await ask("tok-1", boundTo: nil)
        XCTAssertEqual(unbound.error, .invalidParams)
        XCTAssertTrue(unbound.detail.contains("invalidParams"))
        // Malformed payment params are the requester's mistake.
        let garbage = try OraclePrivateEnvelope(params: [1, 2, 3], readers: []).sealed(to: enclave.publicKey)
        let mistake = try await oracle.answer(OracleRequest(id: UInt256(UInt64(12)), type: 0x84, params: garbage))
        XCTAssertEqual(mistake.error, .invalidParams)
    }
}
