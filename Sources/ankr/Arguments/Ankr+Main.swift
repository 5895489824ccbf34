import AnkrCommandLine
import ArgumentParser

extension Ankr {
    /// ArgumentParser's `main`, except that a value our types refused gets its reason in the message
    /// (see ``ArgumentRefusals``); the exit status and everything else stay the parser's.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard let message = ArgumentRefusals.explaining(fullMessage(for: error)) else { exit(withError: error) }
            FileHandleStderr.write(message + "\n")
            exit(withError: exitCode(for: error))
        }
    }
}
