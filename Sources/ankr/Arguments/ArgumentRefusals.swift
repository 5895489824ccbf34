import Synchronization

/// Why the parser refused a value. ArgumentParser's `init?(argument:)` can only say no, and its message
/// ("The value '0x…' is invalid for '--to <to>'") leaves the user guessing; the conformances of our
/// types note the reason here and ``Ankr/main()`` adds it to the parser's message.
enum ArgumentRefusals {
    /// One refused value: why, and whether the text is a secret the message must not repeat.
    struct Refusal: Sendable {
        let reason: String
        let isSecret: Bool
    }

    private static let refusals = Mutex<[String: Refusal]>([:])

    /// Notes that `value` was refused because of `reason` (its description; for a secret, it must not
    /// contain the value either).
    static func note(_ value: String, _ reason: any Error, isSecret: Bool = false) {
        let refusal = Refusal(reason: "\(reason)", isSecret: isSecret)
        refusals.withLock { $0[value] = refusal }
    }

    /// What was noted about `value`, if anything.
    static func refusal(of value: String) -> Refusal? {
        refusals.withLock { $0[value] }
    }

    /// The parser's `message` with the reason added to its "The value '…' is invalid for …" sentence and
    /// every secret value noted here removed from it ("The value given"; elsewhere "…"), whatever the value
    /// holds (a newline, a quote); nil when nothing noted here appears in the message.
    static func explaining(_ message: String) -> String? {
        let noted = refusals.withLock { $0 }
        var text = message, explained = false
        // Longest first: a value that contains another is handled before the one it contains.
        for (value, refusal) in noted.sorted(by: { $0.key.count > $1.key.count }) where !value.isEmpty {
            if let sentence = text.range(of: "The value '" + value + "' is invalid") {
                let lineEnd = text[sentence.upperBound...].firstIndex(of: "\n") ?? text.endIndex
                let said = refusal.isSecret ? "The value given is invalid" : String(text[sentence])
                text = String(text[..<sentence.lowerBound]) + said + String(text[sentence.upperBound..<lineEnd]) + ": " + refusal.reason
                    + String(text[lineEnd...])
                explained = true
            } else if refusal.isSecret, text.contains(value) {
                text = text.replacingOccurrences(of: value, with: "…")
                explained = true
            }
        }
        return explained ? text : nil
    }
}
