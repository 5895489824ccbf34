import AnkrCrypto
import AnkrEnclave
import AnkrPrimitives
import AnkrTestSupport
import XCTest

final class AttestationTests: XCTestCase {
    let root = DevelopmentAttestationRoot(key: try! PrivateKey(hex: "0x" + String(repeating: "0d", count: 32)))
    let now: UInt64 = 1_800_000_000

    func enclave(name: String = "ankr-miner-v1", debug: Bool = false, root: DevelopmentAttestationRoot? = nil, at time: UInt64? = nil) throws -> SimulatedEnclave {
        let platform = try SimulatedPlatform(id: Keccak256.h256(Array("platform-1".utf8)), key: PrivateKey.random(), root: root ?? self.root)
        let t = time ?? now
        return SimulatedEnclave(name: name, platform: platform, debug: debug, clock: { t })
    }

    var policy: AttestationPolicy {
        AttestationPolicy(trustedRoots: [root.publicKey], allowedMeasurements: [SimulatedEnclave.measurement(named: "ankr-miner-v1")],
                          allowSimulated: true)
    }

    func testGoodEvidenceYieldsClaims() throws {
        let e = try enclave()
        let evidence = try e.attest(userData: [UInt8](repeating: 7, count: 32))
        let claims = try PolicyAttestationVerifier(policy: policy).verify(evidence, now: now, expectedUserData: [UInt8](repeating: 7, count: 32))
        XCTAssertEqual(claims.measurement, e.measurement)
        XCTAssertEqual(claims.enclaveKey, e.publicKey)
        XCTAssertEqual(claims.platformID, e.platform.id)
        XCTAssertEqual(claims.format, .simulated)
        XCTAssertFalse(claims.debug)
        // Round trip through the wire encoding.
        XCTAssertEqual(try AttestationEvidence(encoded: evidence.encoded), evidence)
    }

    func testEveryPolicyCheckHasItsOwnError() throws {
        let good = try enclave().attest(userData: [])
        let verify = { (ev: AttestationEvidence, p: AttestationPolicy) in try PolicyAttestationVerifier(policy: p).verify(ev, now: self.now, expectedUserData: nil) }

        var noSim = policy
        noSim.allowSimulated = false
        XCTAssertThrowsError(try verify(good, noSim)) { XCTAssertEqual($0 as? AttestationError, .formatNotAllowed(.simulated)) }

        let foreignRoot = DevelopmentAttestationRoot(key: PrivateKey.random())
        XCTAssertThrowsError(try verify(try enclave(root: foreignRoot).attest(userData: []), policy)) {
            XCTAssertEqual($0 as? AttestationError, .untrustedRoot)
        }

        var forged = good
        forged.report.measurement = SimulatedEnclave.measurement(named: "other")
        XCTAssertThrowsError(try verify(forged, policy)) { XCTAssertEqual($0 as? AttestationError, .badReportSignature) }

        XCTAssertThrowsError(try verify(try enclave(name: "evil").attest(userData: []), policy)) {
            XCTAssertEqual($0 as? AttestationError, .measurementNotAllowed(SimulatedEnclave.measurement(named: "evil")))
        }
        XCTAssertThrowsError(try verify(try enclave(debug: true).attest(userData: []), policy)) {
            XCTAssertEqual($0 as? AttestationError, .debugNotAllowed)
        }

        var swappedKey = good
        swappedKey.enclaveKey = PrivateKey.random().publicKey.compressed
        XCTAssertThrowsError(try verify(swappedKey, policy)) { XCTAssertEqual($0 as? AttestationError, .keyNotBound) }

        XCTAssertThrowsError(try verify(try enclave(at: now - 7200).attest(userData: []), policy)) {
            XCTAssertEqual($0 as? AttestationError, .stale(age: 7200, limit: 3600))
        }
        XCTAssertThrowsError(try verify(try enclave(at: now + 600).attest(userData: []), policy)) {
            XCTAssertEqual($0 as? AttestationError, .fromTheFuture(seconds: 600))
        }
        XCTAssertThrowsError(try PolicyAttestationVerifier(policy: policy).verify(good, now: now, expectedUserData: [UInt8](repeating: 1, count: 32))) {
            XCTAssertEqual($0 as? AttestationError, .unexpectedUserData)
        }
        // A simulated report relabelled as DCAP has no quote to verify, and nothing to verify it with.
        var dcap = good
        dcap.format = .sgxDCAP
        XCTAssertThrowsError(try verify(dcap, policy)) { XCTAssertEqual($0 as? AttestationError, .noCollateral) }
        XCTAssertThrowsError(try AttestationEvidence(encoded: dcap.encoded)) {
            guard case .malformed? = $0 as? AttestationError else { return XCTFail("\($0)") }
        }
    }

    func testMalformedEvidenceIsRejected() throws {
        let good = try enclave().attest(userData: []).encoded
        XCTAssertThrowsError(try AttestationEvidence(encoded: []))
        XCTAssertThrowsError(try AttestationEvidence(encoded: Array(good.dropLast())))
        XCTAssertThrowsError(try AttestationEvidence(encoded: RLP.encode(.list([.bytes(Array("tpm".utf8))]))))
        var i = 0
        while i < good.count {
            var b = good
            b[i] ^= 0xff
            // Decoding may succeed on a flipped byte in a signature; verification must then fail.
            if let ev = try? AttestationEvidence(encoded: b) {
                XCTAssertThrowsError(try PolicyAttestationVerifier(policy: policy).verify(ev, now: now, expectedUserData: nil), "byte \(i)")
            }
            i += 1
        }
    }
}

final class LotteryTests: XCTestCase {
    func testExactProbabilitiesAtTheEdges() {
        let one = UInt256.one.shiftedLeft(128)
        XCTAssertEqual(Lottery.winProbability(target: .zero, instructions: 1_000_000), .zero)
        // p just below 1 (target = 2^256 − 1): one trial wins with p itself, 128-bit fixed point.
        XCTAssertEqual(Lottery.winProbability(target: .max, instructions: 1), UInt256.max.shiftedRight(128))
        XCTAssertEqual(Lottery.winProbability(target: .max, instructions: 0), .zero)
        // p = 1/2, n = 2: 1 − 1/4 = 3/4.
        let half = UInt256.one.shiftedLeft(255)
        XCTAssertEqual(Lottery.winProbability(target: half, instructions: 2), one.shiftedRight(2) &* UInt256(3))
        // Difficulty d means about one win per d instructions: n = d gives 1 − (1 − 1/d)^d ≈ 1 − 1/e.
        let d = UInt256(1 << 24)
        let p = Lottery.winProbability(target: Lottery.target(difficulty: d), instructions: 1 << 24)
        let ratio = Double(p.shiftedRight(64).w0) / Double(UInt64.max)
        XCTAssertEqual(ratio, 1 - exp(-1.0), accuracy: 1e-6)
    }

    /// Chi-square over many draws at several win probabilities: the observed win counts must fit the
    /// exact probabilities (p-value well above 0.001 for 1 degree of freedom each).
    func testDrawsAreUnbiased() {
        // Seeded, so the test is reproducible; the draw function is what is under test, not the seed.
        var rng = SplitMix64(seed: 2017)
        let draws = 40_000
        let difficulty = UInt256(1 << 20)
        for n in [UInt64(1) << 16, UInt64(1) << 19, UInt64(1) << 21] {
            let target = Lottery.target(difficulty: difficulty)
            let expected = Double(Lottery.winProbability(target: target, instructions: n).shiftedRight(64).w0) / 18446744073709551616.0
            var wins = 0
            for _ in 0..<draws {
                let r = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if Lottery.draw(target: target, instructions: n, randomness: r) { wins += 1 }
            }
            let e1 = expected * Double(draws), e0 = Double(draws) - e1
            let chi2 = pow(Double(wins) - e1, 2) / e1 + pow(Double(draws - wins) - e0, 2) / e0
            XCTAssertLessThan(chi2, 10.83, "n=\(n): \(wins) wins, expected \(e1)")  // 0.001 critical value, 1 d.o.f.
        }
    }
}
