import ArgumentParser
import Logging

/// `--log.level trace|debug|info|notice|warning|error|critical`: swift-log's own names, which
/// ArgumentParser lists in help and in the error for any other word.
extension Logger.Level: @retroactive ExpressibleByArgument {}
