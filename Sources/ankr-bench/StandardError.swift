import Foundation

/// Diagnostics on stderr, so `--json` output on stdout stays parseable.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
