import Foundation
import XCTest

@testable import ankr

/// `ankr devnet --with`: its list of services, and which request paths the local HTTPS data source serves.
final class DevnetServicesTests: XCTestCase {
    let www = URL(fileURLWithPath: "/srv/devnet/www")

    func testWithParsesACommaSeparatedListOfKnownServices() throws {
        XCTAssertEqual(try DevnetService.list("plasma,oracle"), [.plasma, .oracle])
        XCTAssertEqual(try DevnetService.list(" oracle "), [.oracle])
    }

    func testWithRefusesUnknownEmptyAndMiscasedServicesByName() {
        for (text, name) in [("plasma,moon", "moon"), ("", ""), ("plasma,,oracle", ""), ("Plasma", "Plasma"), ("plasma;oracle", "plasma;oracle")] {
            XCTAssertThrowsError(try DevnetService.list(text), text) { error in
                guard case DevnetServiceError.unknownService(let got) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(got, name)
                XCTAssertTrue("\(error)".contains("known: plasma, oracle"))
            }
        }
        XCTAssertEqual(try DevnetCommand.parse(["--with", "oracle", "--source.port", "0"]).services.services, [.oracle])
        XCTAssertEqual(try DevnetCommand.parse([]).services.services, [])
        XCTAssertThrowsError(try DevnetCommand.parse(["--with", "plasma,moon"]))
        XCTAssertThrowsError(try DevnetCommand.parse(["--plasma.port", "70000"]))
        XCTAssertThrowsError(try DevnetCommand.parse(["--source.port", "-1"]))
    }

    func testTheSourceServesFilesInsideItsDirectoryOnly() {
        XCTAssertEqual(DevnetHTTPSSource.file(for: "/btc-usd.json", in: www)?.path, "/srv/devnet/www/btc-usd.json")
        XCTAssertEqual(DevnetHTTPSSource.file(for: "/a/b.json?x=1&y=/../z", in: www)?.path, "/srv/devnet/www/a/b.json")
        XCTAssertEqual(DevnetHTTPSSource.file(for: "//rent.json", in: www)?.path, "/srv/devnet/www/rent.json")
    }

    func testTheSourceRefusesPathsThatLeaveItsDirectoryOrNameHiddenFiles() {
        for uri in ["/", "", "?", "/../genesis.json", "/a/../../genesis.json", "/..", "/.", "/.hidden", "/a/.git/config",
                    "/%2e%2e/genesis.json", "/..%2fgenesis.json", "/a\\..\\genesis.json", "/" + String(repeating: "../", count: 10_000)] {
            XCTAssertNil(DevnetHTTPSSource.file(for: uri, in: www), uri)
        }
    }
}
