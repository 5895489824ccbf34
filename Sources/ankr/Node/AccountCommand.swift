import AnkrCommandLine
import AnkrCrypto
import AnkrNode
import AnkrPrimitives
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `ankr account`: keystore v3 files in `<datadir>/keystore`, interchangeable with geth and MetaMask.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Manage keys in <datadir>/keystore (Web3 Secret Storage v3).",
        subcommands: [New.self, List.self, Import.self, Export.self])

    struct KeyOptions: ParsableArguments {
        @Option(help: "Data directory.")
        var datadir = DataDirectory.defaultPath

        @Option(name: .customLong("password-file"), help: "File whose first line is the password (else $ANKR_PASSWORD, else a prompt).")
        var passwordFile: String?

        func password(confirm: Bool) throws -> String {
            if let passwordFile {
                guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else { throw CommandFailure("cannot read \(passwordFile)") }
                return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            }
            if let env = ProcessInfo.processInfo.environment["ANKR_PASSWORD"] { return env }
            guard isatty(0) == 1, let p = getpass("Password: ") else {
                throw CommandFailure("no password: give --password-file or set ANKR_PASSWORD")
            }
            let first = String(cString: p)
            if confirm {
                guard let again = getpass("Repeat password: "), String(cString: again) == first else { throw CommandFailure("passwords do not match") }
            }
            return first
        }

        var keystore: URL { DataDirectory(datadir).keystore }

        /// Every (address, file) in the keystore, skipping files that are not keystores.
        func entries() -> [(Address, URL)] {
            let files = (try? FileManager.default.contentsOfDirectory(at: keystore, includingPropertiesForKeys: nil)) ?? []
            return files.sorted { $0.lastPathComponent < $1.lastPathComponent }.compactMap { url in
                guard let data = FileManager.default.contents(atPath: url.path),
                      let hex = (try? JSON(parsing: data))?["address"]?.string, let a = try? Address(hex: hex) else { return nil }
                return (a, url)
            }
        }

        func store(_ key: PrivateKey, password: String, light: Bool) throws -> URL {
            try FileManager.default.createDirectory(at: keystore, withIntermediateDirectories: true)
            guard !entries().contains(where: { $0.0 == key.address }) else { throw CommandFailure("\(key.address) is already in the keystore") }
            let json = try Keystore.export(key, password: password, kdf: light ? .light : .standard)
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "-")
            let url = keystore.appendingPathComponent("UTC--\(stamp)--\(key.address.bytes.hex)")
            try SecretFile.write(Array(json.utf8), to: url.path)
            return url
        }

        func load(_ address: Address, password: String) throws -> PrivateKey {
            guard let (_, url) = entries().first(where: { $0.0 == address }), let data = FileManager.default.contents(atPath: url.path) else {
                throw CommandFailure("\(address) is not in \(keystore.path)")
            }
            return try Keystore.decrypt(json: String(decoding: data, as: UTF8.self), password: password)
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and store it encrypted.")
        @OptionGroup var options: KeyOptions
        @Flag(name: .customLong("light-kdf"), help: "Cheaper scrypt parameters (geth's --lightkdf), for tests and devnets.")
        var light = false

        func run() throws {
            try reportingErrors {
                let key = PrivateKey.random()
                let url = try options.store(key, password: options.password(confirm: true), light: light)
                print(key.address.checksummed)
                var err = StandardError()
                print("stored in \(url.path)", to: &err)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keystore's addresses and files.")
        @OptionGroup var options: KeyOptions

        func run() throws {
            try reportingErrors {
                for (i, (address, url)) in options.entries().enumerated() { print("#\(i) \(address.checksummed) \(url.path)") }
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a hex private key from a file, or a keystore JSON file.")
        @OptionGroup var options: KeyOptions
        @Argument(help: "File holding a hex private key or a keystore v3 JSON.")
        var file: String
        @Flag(name: .customLong("light-kdf"), help: "Cheaper scrypt parameters for the stored copy.")
        var light = false

        func run() throws {
            try reportingErrors {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandFailure("cannot read \(file)") }
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                let password = try options.password(confirm: false)
                let key = trimmed.hasPrefix("{") ? try Keystore.decrypt(json: trimmed, password: password) : try PrivateKey(hex: trimmed)
                _ = try options.store(key, password: password, light: light)
                print(key.address.checksummed)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an account's keystore JSON (for MetaMask or geth).")
        @OptionGroup var options: KeyOptions
        @Argument(help: "Address to export.")
        var address: Address

        func run() throws {
            try reportingErrors {
                guard let (_, url) = options.entries().first(where: { $0.0 == address }), let data = FileManager.default.contents(atPath: url.path) else {
                    throw CommandFailure("\(address) is not in \(options.keystore.path)")
                }
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}
