import AnkrChain
import XCTest

/// Asserts that `body` reverts (``SystemCallError/reverted(_:gasUsed:)``) with a reason containing `reason`.
public func assertReverts(_ reason: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        guard case SystemCallError.reverted(let why, _) = error else { return XCTFail("\(error)", file: file, line: line) }
        XCTAssertTrue(why.contains(reason), why, file: file, line: line)
    }
}
