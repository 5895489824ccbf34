import AnkrRPC
import Logging

/// The log of a loop that retries after failures (the relay's, the operator's and the watcher's
/// rounds). A failure is logged at warning level when it starts or its message changes, and again at
/// most every ``reminderSeconds`` while it lasts; the repeats in between go to debug level, and the
/// recovery is logged once. A node that is down for an hour costs a line a minute, not one a round.
struct RetryLog {
    let logger: Logger
    /// What failed, as the log line names it ("relay round").
    let what: String
    /// The longest a lasting failure goes without a warning.
    static let reminderSeconds: Int64 = 60
    /// The failure being repeated (its message and error text) and when it was last warned about.
    private var failing: (key: String, warnedAt: ContinuousClock.Instant)?

    init(logger: Logger, what: String) {
        self.logger = logger
        self.what = what
    }

    /// Logs a failed round (at `now`).
    mutating func failed(_ error: any Error, now: ContinuousClock.Instant = .now) {
        let line = Self.line(what, error)
        // The error's text counts: another error within the minute is a change, warned about at once. A node
        // that does not answer is one outage whatever the attempts meet (a node going down resets the
        // request in flight, then refuses connections).
        var key = line.message + "\u{0}" + "\(error)"
        if case .unreachable(let url, _) = Self.unreachable(in: error) { key = "unreachable " + url }
        if let failing, failing.key == key, now - failing.warnedAt < .seconds(Self.reminderSeconds) {
            logger.debug("\(line.message)", metadata: line.metadata)
            return
        }
        logger.warning("\(line.message)", metadata: line.metadata)
        failing = (key, now)
    }

    /// Logs a round that worked: a notice when it ends a failure, nothing otherwise.
    mutating func succeeded() {
        guard failing != nil else { return }
        failing = nil
        logger.notice("\(what) works again")
    }

    /// The message and metadata for `error`: a node that does not answer is said in so many words
    /// ("cannot reach the node at http://127.0.0.1:8545 (connection refused); retrying"), anything
    /// else as the round's failure with the error attached.
    static func line(_ what: String, _ error: any Error) -> (message: String, metadata: Logger.Metadata) {
        if let unreachable = unreachable(in: error) { return ("\(unreachable); retrying", [:]) }
        return ("\(what) failed; retrying", ["error": "\(error)"])
    }

    /// The ``RPCClientError/unreachable(url:reason:)`` behind `error`, directly or as the node's answer
    /// a ``TransactorError`` carries.
    static func unreachable(in error: any Error) -> RPCClientError? {
        var client = error as? RPCClientError
        if let transactor = error as? TransactorError {
            switch transactor {
            case .transactionRefused(let e), .deploymentRefused(let e): client = e
            default: break
            }
        }
        guard let client, case .unreachable = client else { return nil }
        return client
    }
}
