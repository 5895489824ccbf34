import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import XCTest

final class TransactionTests: XCTestCase {
    let key = try! PrivateKey(hex: "0x4646464646464646464646464646464646464646464646464646464646464646")
    let to = try! Address(hex: "0x3535353535353535353535353535353535353535")

    /// The worked example in EIP-155.
    func testEIP155ExampleIsByteExact() throws {
        let tx = Transaction.legacy(chainID: 1, nonce: 9, gasPrice: UInt256(20_000_000_000), gasLimit: 21_000, to: to,
                                    value: UInt256(1_000_000_000_000_000_000))
        XCTAssertEqual(tx.signingHash.hex, "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
        let signed = try tx.signed(with: key)
        XCTAssertEqual(signed.encoded.hex, "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83")
        XCTAssertEqual(try signed.recoverSender(), key.address)
        XCTAssertEqual(try Transaction(raw: signed.encoded), signed)
    }

    func testTypedTransactionsSignAndRoundTrip() throws {
        let list = [AccessListEntry(address: to, storageKeys: [H256.zero])]
        for tx in [
            Transaction.accessList(chainID: 7331, nonce: 1, gasPrice: UInt256(1_000_000_000), gasLimit: 50_000, to: to,
                                   value: UInt256(5), data: [1, 2, 0], accessList: list),
            Transaction.dynamicFee(chainID: 7331, nonce: 2, maxPriorityFeePerGas: UInt256(2), maxFeePerGas: UInt256(3_000_000_000),
                                   gasLimit: 100_000, to: nil, value: .zero, data: [0x60, 0x00], accessList: list),
        ] {
            let signed = try tx.signed(with: key)
            let decoded = try Transaction(raw: signed.encoded)
            XCTAssertEqual(decoded, signed)
            XCTAssertEqual(try decoded.validate(chainID: 7331), key.address)
            XCTAssertEqual(decoded.encoded.first, tx.type.rawValue)
        }
    }

    func testValidationRejectsWhatANodeMust() throws {
        let base = Transaction.dynamicFee(chainID: 7331, nonce: 0, maxPriorityFeePerGas: UInt256(2), maxFeePerGas: UInt256(10),
                                          gasLimit: 21_000, to: to, value: .one)
        XCTAssertThrowsError(try base.signed(with: key).validate(chainID: 1)) {
            XCTAssertEqual($0 as? TransactionError, .wrongChainID(expected: 1, actual: 7331))
        }
        var tip = base; tip.maxPriorityFeePerGas = UInt256(11)
        XCTAssertThrowsError(try tip.signed(with: key).validate(chainID: 7331)) { XCTAssertEqual($0 as? TransactionError, .priorityFeeAboveMaxFee) }
        var low = base; low.gasLimit = 20_999
        XCTAssertThrowsError(try low.signed(with: key).validate(chainID: 7331)) {
            XCTAssertEqual($0 as? TransactionError, .intrinsicGasTooLow(required: 21_000, limit: 20_999))
        }
        var big = base; big.to = nil; big.gasLimit = 10_000_000; big.data = [UInt8](repeating: 1, count: 49_153)
        XCTAssertThrowsError(try big.signed(with: key).validate(chainID: 7331)) {
            XCTAssertEqual($0 as? TransactionError, .initcodeTooLarge(size: 49_153, limit: 49_152))
        }
        var highS = try base.signed(with: key)
        highS.s = Signature.order &- highS.s
        highS.v = highS.v ^ .one
        XCTAssertThrowsError(try highS.validate(chainID: 7331)) { XCTAssertEqual($0 as? TransactionError, .invalidSignature(.highS)) }
        let unprotected = try Transaction.legacy(chainID: nil, nonce: 0, gasPrice: .one, gasLimit: 21_000, to: to, value: .one).signed(with: key)
        XCTAssertNoThrow(try unprotected.validate(chainID: 7331))
        XCTAssertThrowsError(try unprotected.validate(chainID: 7331, allowUnprotected: false))
    }

    func testDecodeErrorsAreTyped() {
        XCTAssertThrowsError(try Transaction(raw: [])) { XCTAssertEqual($0 as? TransactionError, .empty) }
        XCTAssertThrowsError(try Transaction(raw: [0x03, 0xc0])) { XCTAssertEqual($0 as? TransactionError, .unsupportedType(3)) }
        XCTAssertThrowsError(try Transaction(raw: [0x02, 0xc0])) { XCTAssertEqual($0 as? TransactionError, .wrongFieldCount(expected: 12, actual: 0)) }
        XCTAssertThrowsError(try Transaction(raw: [UInt8](repeating: 0xc0, count: 200_000))) {
            XCTAssertEqual($0 as? TransactionError, .tooLarge(size: 200_000, limit: Transaction.maxEncodedSize))
        }
    }
}
