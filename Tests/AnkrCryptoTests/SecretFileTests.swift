@testable import AnkrCrypto
import Foundation
import XCTest

/// Key files: owner-only from the first byte, replaced whole, and never written through a file or
/// symlink someone planted; private directories nobody can predict.
final class SecretFileTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = try SecretFile.makeTemporaryDirectory(prefix: "ankr-secretfile-test-")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func mode(_ path: String) throws -> mode_t {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw SecretFileError.cannotCreate(path: path, errno: errno) }
        return st.st_mode
    }

    func contents(_ path: String) -> String? { FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }

    func testAKeyFileIsOwnerOnlyWhateverTheUmaskAndReplacesAnOpenFileWhole() throws {
        let key = directory + "/nodekey"
        let old = umask(0)
        defer { umask(old) }
        try SecretFile.write(Array("first".utf8), to: key)
        XCTAssertEqual(try mode(key) & 0o777, 0o600, "created 0600 even with umask 0")
        // A world-readable file already at the target is replaced by a new 0600 file, not rewritten in place.
        try FileManager.default.removeItem(atPath: key)
        XCTAssertTrue(FileManager.default.createFile(atPath: key, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
        try SecretFile.write(Array("second".utf8), to: key)
        XCTAssertEqual(try mode(key) & 0o777, 0o600)
        XCTAssertEqual(contents(key), "second")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["nodekey"], "no temporary file is left behind")
    }

    func testAPlantedSymlinkAtTheTemporaryNameCannotRedirectTheWrite() throws {
        let victim = directory + "/victim", key = directory + "/miner.key"
        try Data("do not touch".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: directory + "/planted", withDestinationPath: victim)
        try Data("also planted".utf8).write(to: URL(fileURLWithPath: directory + "/planted-file"))
        var names = ["planted", "planted-file", "fresh"].makeIterator()
        try SecretFile.write(Array("secret".utf8), to: key) { names.next() ?? "unused" }
        XCTAssertEqual(contents(victim), "do not touch", "the symlink was not followed")
        XCTAssertEqual(contents(directory + "/planted-file"), "also planted", "the planted file was not truncated")
        XCTAssertEqual(contents(key), "secret")
        XCTAssertEqual(try mode(key) & 0o777, 0o600)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/planted"), victim)

        // When every name is taken the write is refused, and still nothing is written through the link.
        XCTAssertThrowsError(try SecretFile.write(Array("other".utf8), to: key) { "planted" }) {
            XCTAssertEqual($0 as? SecretFileError, .noFreeTemporaryName(directory: directory, attempts: SecretFile.attempts))
        }
        XCTAssertEqual(contents(victim), "do not touch")
        XCTAssertEqual(contents(key), "secret")
    }

    func testASymlinkAtTheTargetIsReplacedNotFollowed() throws {
        let victim = directory + "/victim", key = directory + "/enclave.key"
        try Data("do not touch".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: key, withDestinationPath: victim)
        try SecretFile.write(Array("secret".utf8), to: key)
        XCTAssertEqual(contents(victim), "do not touch")
        XCTAssertEqual(try mode(key) & S_IFMT, S_IFREG, "the link itself was replaced by a regular file")
        XCTAssertEqual(contents(key), "secret")
    }

    func testPrivateDirectoriesAreOwnerOnlyAndUnpredictable() throws {
        let other = try SecretFile.makeTemporaryDirectory(prefix: "ankr-secretfile-test-")
        defer { try? FileManager.default.removeItem(atPath: other) }
        XCTAssertNotEqual(other, directory)
        for d in [directory, other] {
            XCTAssertEqual(try mode(d) & 0o777, 0o700)
            XCTAssertEqual(try mode(d) & S_IFMT, S_IFDIR)
            let suffix = URL(fileURLWithPath: d).lastPathComponent.dropFirst("ankr-secretfile-test-".count)
            XCTAssertEqual(suffix.count, 6)
            XCTAssertNotEqual(suffix, "XXXXXX", "the template was filled in")
        }
    }
}
