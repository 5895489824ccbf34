import AnkrCrypto
import Foundation

/// A fake of a hardware quote interface's read side: a FIFO at `quotePath` that, each time a
/// reader opens it, serves `mint(contents of inputPath)` — what Gramine's `/dev/attestation/quote`
/// (input `user_report_data`) and configfs-tsm's `outblob` (input `inblob`) do on real hardware.
final class FakeQuoteFile: @unchecked Sendable {
    let quotePath: String
    let inputPath: String
    private let lock = NSLock()
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)
    /// How many quotes were served.
    private(set) var served = 0

    enum Failure: Error {
        case inputFile(String)
        case mkfifo(Int32)
    }

    init(quotePath: String, inputPath: String, mint: @escaping @Sendable ([UInt8]) throws -> [UInt8]) throws {
        self.quotePath = quotePath
        self.inputPath = inputPath
        guard FileManager.default.createFile(atPath: inputPath, contents: Data()) else { throw Failure.inputFile(inputPath) }
        guard mkfifo(quotePath, 0o600) == 0 else { throw Failure.mkfifo(errno) }
        // A reader that stops early (a quote over its size bound) must cost this writer an EPIPE, not the test process.
        signal(SIGPIPE, SIG_IGN)
        let thread = Thread { [self] in
            defer { done.signal() }
            while true {
                // Blocks until a reader opens the quote file (or stop() opens it to wake us).
                let fd = open(quotePath, O_WRONLY)
                guard fd >= 0 else { return }
                if lock.withLock({ stopped }) { close(fd); return }
                let input = (try? Data(contentsOf: URL(fileURLWithPath: inputPath))).map { Array($0) } ?? []
                let quote = (try? mint(input)) ?? []
                quote.withUnsafeBytes { raw in
                    var offset = 0
                    while offset < raw.count, let base = raw.baseAddress {
                        let n = write(fd, base + offset, raw.count - offset)
                        guard n > 0 else { break }
                        offset += n
                    }
                }
                close(fd)
                lock.withLock { served += 1 }
                // Let the reader see end-of-file before the FIFO can be opened for writing again.
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        thread.start()
    }

    func stop() {
        lock.withLock { stopped = true }
        // Opening the read end wakes the writer blocked in open().
        let fd = open(quotePath, O_RDONLY | O_NONBLOCK)
        _ = done.wait(timeout: .now() + 5)
        if fd >= 0 { close(fd) }
    }
}
