import Foundation

/// Locates the official test vectors in `../shared/vectors` beside the package (or in
/// `$ANKR_VECTORS`), so tests read them in place and never copy them into the repository.
public enum Vectors {
    /// The `vectors/ethereum` directory.
    public static func ethereum(filePath: String = #filePath) -> URL {
        if let env = ProcessInfo.processInfo.environment["ANKR_VECTORS"] {
            return URL(fileURLWithPath: env).appendingPathComponent("ethereum")
        }
        // Tests/<Target>/<File>.swift → package root → ../shared/vectors
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/vectors/ethereum")
    }

    /// Every `.json` file under `ethereum/<subdirectory>`, sorted.
    public static func jsonFiles(_ subdirectory: String, filePath: String = #filePath) throws -> [URL] {
        let dir = ethereum(filePath: filePath).appendingPathComponent(subdirectory)
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else {
            throw VectorError.missing(dir.path)
        }
        let files = e.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
        guard !files.isEmpty else { throw VectorError.missing(dir.path) }
        return files
    }

    /// Parses a JSON file into Foundation objects.
    public static func load(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    }

    public enum VectorError: Error, CustomStringConvertible {
        case missing(String)
        public var description: String {
            switch self {
            case .missing(let p): return "official vectors not found at \(p) (set ANKR_VECTORS to the vectors directory)"
            }
        }
    }
}

/// A reproducible pseudo-random generator (SplitMix64) so fuzz-style tests replay the same inputs.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
