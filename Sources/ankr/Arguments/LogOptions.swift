import ArgumentParser
import Logging

/// `--log.level` of the long-running tools (`plasma operator`, `plasma watch`, `oracle run`), whose
/// log lines go to stderr so stdout stays their JSON events.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log.level"), help: "The least severe log lines written to stderr.")
    var level: Logger.Level = .info

    /// Sends every logger's lines to stderr at ``level`` (once per process) and returns the tool's logger.
    func bootstrap(label: String) -> Logger {
        let level = self.level
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
