import AnkrDCAP
import AnkrPrimitives
import AnkrTestSupport
import Foundation
import XCTest

/// The real SGX quote of `../shared/vectors/sgx`, its collateral and dcap-qvl's results (`expected.json`), read in place.
struct RealSGXVector {
    let quote: [UInt8]
    let collateral: Collateral
    let collateralJSON: [UInt8]
    /// `expected.json`'s results, in file order: accepted, before the TCB info issue date, after the root CA CRL's expiry.
    let results: [[String: Any]]

    init(filePath: String = #filePath) throws {
        let dir = Vectors.ethereum(filePath: filePath).deletingLastPathComponent().appendingPathComponent("sgx")
        quote = [UInt8](try Data(contentsOf: dir.appendingPathComponent("sgx_quote")))
        collateralJSON = [UInt8](try Data(contentsOf: dir.appendingPathComponent("sgx_quote_collateral.json")))
        collateral = try Collateral(json: collateralJSON)
        let expected = try XCTUnwrap(Vectors.load(dir.appendingPathComponent("expected.json")) as? [String: Any])
        results = try XCTUnwrap(expected["results"] as? [[String: Any]])
    }

    /// The time of result `index`.
    func time(_ index: Int) throws -> UInt64 {
        try XCTUnwrap((results[index]["time"] as? NSNumber)?.uint64Value)
    }

    /// A time inside every window of the collateral.
    var acceptedTime: UInt64 { get throws { try time(0) } }

    // Byte offsets of the regions of this v3 quote (header, body, then the inline signature data).
    static let header = 0..<48
    static let body = 48..<432
    static let signature = 436..<500
    static let attestationKey = 500..<564
    static let qeReport = 564..<948
    static let qeReportSignature = 948..<1012
    static let qeAuthDataSize = 1012
    static let qeAuthData = 1014..<1046
    static let pckChainType = 1046
    static let pckChainSize = 1048
    static let pckChain = 1052..<4600
}
