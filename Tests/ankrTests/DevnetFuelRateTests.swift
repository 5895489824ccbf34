import XCTest

@testable import ankr

/// A fresh devnet's starting difficulty: the measured fuel rate of its miners times the block time.
final class DevnetFuelRateTests: XCTestCase {
    private func rate(_ fuelPerSecond: Double) -> DevnetFuelRate { DevnetFuelRate(fuelPerSecond: fuelPerSecond, miners: 3, duty: 1.0 / 3) }

    func testDifficultyIsTheMinersFuelRateTimesTheBlockTime() {
        XCTAssertEqual(rate(5_000_000).difficulty(blockTime: 5, minimum: 0x40000), 25_000_000)
        XCTAssertEqual(rate(1_234_567.4).difficulty(blockTime: 1, minimum: 1), 1_234_567)
        XCTAssertEqual(rate(1_234_567.6).difficulty(blockTime: 2, minimum: 1), 2_469_135)
    }

    func testDifficultyNeverFallsBelowTheChainsMinimum() {
        XCTAssertEqual(rate(1000).difficulty(blockTime: 5, minimum: 0x40000), 0x40000)
        XCTAssertEqual(rate(0).difficulty(blockTime: 5, minimum: 0x40000), 0x40000)
        XCTAssertEqual(rate(-5).difficulty(blockTime: 5, minimum: 0x40000), 0x40000)
        XCTAssertEqual(rate(.nan).difficulty(blockTime: 5, minimum: 0x40000), 0x40000)
    }

    func testDifficultySaturatesInsteadOfOverflowing() {
        XCTAssertEqual(rate(.infinity).difficulty(blockTime: 5, minimum: 0x40000), .max)
        XCTAssertEqual(rate(1e30).difficulty(blockTime: 3600, minimum: 0x40000), .max)
        XCTAssertEqual(rate(Double(UInt64.max)).difficulty(blockTime: 1, minimum: 0x40000), .max)
        XCTAssertEqual(rate(4e18).difficulty(blockTime: 4, minimum: 0x40000), 16_000_000_000_000_000_000)
    }

    func testMeasuringRunsTheBuiltinWorkloadOnEveryMinerAndHonoursTheDuty() throws {
        let full = try DevnetFuelRate.measure(miners: 1, duty: 1, seconds: 0.3)
        XCTAssertEqual(full.miners, 1)
        // The slowest build on a loaded 2-core machine still runs far more than 100 k fuel/s.
        XCTAssertGreaterThan(full.fuelPerSecond, 100_000)
        // A quarter duty rests three quarters of the time: well under 60 % of the full rate.
        let quarter = try DevnetFuelRate.measure(miners: 1, duty: 0.25, seconds: 0.3)
        XCTAssertLessThan(quarter.fuelPerSecond, full.fuelPerSecond * 0.6)
        XCTAssertGreaterThan(quarter.fuelPerSecond, 0)
        let two = try DevnetFuelRate.measure(miners: 2, duty: 0.25, seconds: 0.3)
        XCTAssertEqual(two.miners, 2)
        XCTAssertGreaterThan(two.fuelPerSecond, 0)
    }
}
