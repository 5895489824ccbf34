import AnkrPrimitives
import Crypto
import CryptoExtras
import Foundation

/// Web3 Secret Storage (keystore v3): the encrypted key file geth, MetaMask and eth-account share.
public enum Keystore {
    /// The key-derivation function for new files.
    public enum KeyDerivation: Sendable, Equatable {
        /// scrypt with cost `n` (a power of two), block size `r`, parallelism `p`.
        case scrypt(n: Int, r: Int, p: Int)
        /// PBKDF2-HMAC-SHA256 with `c` rounds.
        case pbkdf2(c: Int)

        /// geth's standard parameters (n = 2^18, r = 8, p = 1).
        public static let standard = KeyDerivation.scrypt(n: 1 << 18, r: 8, p: 1)
        /// geth's light parameters (n = 2^12, r = 8, p = 6), for tests and devnets.
        public static let light = KeyDerivation.scrypt(n: 1 << 12, r: 8, p: 6)
    }

    /// Why a keystore file could not be read.
    public enum Error: Swift.Error, Equatable, Sendable, CustomStringConvertible {
        case malformedJSON(String)
        case unsupportedVersion(Int)
        case unsupportedCipher(String)
        case unsupportedKDF(String)
        case unsafeKDFParameters(String)
        case wrongPassword
        case invalidKey

        public var description: String {
            switch self {
            case .malformedJSON(let why): return "keystore file is malformed: \(why)"
            case .unsupportedVersion(let v): return "keystore version \(v) is not supported (only 3)"
            case .unsupportedCipher(let c): return "keystore cipher \(c) is not supported (only aes-128-ctr)"
            case .unsupportedKDF(let k): return "keystore KDF \(k) is not supported (scrypt or pbkdf2)"
            case .unsafeKDFParameters(let why): return "keystore KDF parameters rejected: \(why)"
            case .wrongPassword: return "wrong password (keystore MAC mismatch)"
            case .invalidKey: return "keystore decrypts to an invalid private key"
            }
        }
    }

    // Bounds that keep a hostile file from taking all memory or hours of CPU.
    static let maxScryptMemory: Int = 1 << 30
    static let maxPBKDF2Rounds: Int = 10_000_000

    /// Encrypts a key into keystore v3 JSON.
    public static func export(_ key: PrivateKey, password: String, kdf: KeyDerivation = .standard) throws -> String {
        var rng = SystemRandomNumberGenerator()
        let salt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let iv = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let params: KDFParams
        switch kdf {
        case .scrypt(let n, let r, let p):
            params = KDFParams(dklen: 32, salt: salt.hex, n: n, r: r, p: p, c: nil, prf: nil)
        case .pbkdf2(let c):
            params = KDFParams(dklen: 32, salt: salt.hex, n: nil, r: nil, p: nil, c: c, prf: "hmac-sha256")
        }
        let derived = try derive(password: password, kdfName: kdfName(kdf), params: params)
        let ciphertext = try aesCTR(key.bytes, key: Array(derived[0..<16]), iv: iv)
        let mac = Keccak256.hash(derived[16..<32] + ciphertext)
        let file = File(
            address: key.address.bytes.hex,
            crypto: CryptoSection(
                cipher: "aes-128-ctr", cipherparams: CipherParams(iv: iv.hex), ciphertext: ciphertext.hex,
                kdf: kdfName(kdf), kdfparams: params, mac: mac.hex),
            id: uuidV4(),
            version: 3)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(file), as: UTF8.self)
    }

    /// Decrypts keystore v3 JSON with a password.
    public static func decrypt(json: String, password: String) throws -> PrivateKey {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(json.utf8))
        } catch let e as DecodingError {
            throw Error.malformedJSON(Self.describe(e))
        } catch {
            throw Error.malformedJSON("\(error)")
        }
        guard file.version == 3 else { throw Error.unsupportedVersion(file.version) }
        let c = file.crypto
        guard c.cipher == "aes-128-ctr" else { throw Error.unsupportedCipher(c.cipher) }
        guard let iv = try? Hex.decode(c.cipherparams.iv), iv.count == 16 else { throw Error.malformedJSON("iv must be 16 bytes of hex") }
        guard let ciphertext = try? Hex.decode(c.ciphertext), ciphertext.count == 32 else {
            throw Error.malformedJSON("ciphertext must be 32 bytes of hex")
        }
        guard let mac = try? Hex.decode(c.mac), mac.count == 32 else { throw Error.malformedJSON("mac must be 32 bytes of hex") }
        let derived = try derive(password: password, kdfName: c.kdf, params: c.kdfparams)
        let expected = Keccak256.hash(derived[16..<32] + ciphertext)
        guard constantTimeEqual(expected, mac) else { throw Error.wrongPassword }
        let plain = try aesCTR(ciphertext, key: Array(derived[0..<16]), iv: iv)
        guard let key = try? PrivateKey(plain) else { throw Error.invalidKey }
        return key
    }

    static func kdfName(_ kdf: KeyDerivation) -> String {
        switch kdf {
        case .scrypt: return "scrypt"
        case .pbkdf2: return "pbkdf2"
        }
    }

    static func derive(password: String, kdfName: String, params: KDFParams) throws -> [UInt8] {
        guard params.dklen == 32 else { throw Error.unsafeKDFParameters("dklen must be 32, got \(params.dklen)") }
        guard let salt = try? Hex.decode(params.salt), !salt.isEmpty else { throw Error.malformedJSON("salt must be hex") }
        let pw = Array(password.utf8)
        switch kdfName {
        case "scrypt":
            guard let n = params.n, let r = params.r, let p = params.p else { throw Error.malformedJSON("scrypt needs n, r and p") }
            guard n > 1, n.nonzeroBitCount == 1, r >= 1, p >= 1, r <= 1024, p <= 1024 else {
                throw Error.unsafeKDFParameters("scrypt n=\(n) r=\(r) p=\(p)")
            }
            guard n <= maxScryptMemory / (128 * r) else {
                throw Error.unsafeKDFParameters("scrypt n=\(n) r=\(r) needs more than \(maxScryptMemory >> 20) MiB")
            }
            return try Scrypt.derive(password: pw, salt: salt, n: n, r: r, p: p, length: 32)
        case "pbkdf2":
            guard let c = params.c, params.prf == "hmac-sha256" else {
                throw Error.unsupportedKDF("pbkdf2 with prf \(params.prf ?? "none")")
            }
            guard c >= 1, c <= maxPBKDF2Rounds else { throw Error.unsafeKDFParameters("pbkdf2 rounds \(c)") }
            return try KDF.Insecure.PBKDF2.deriveKey(
                from: pw, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: c
            ).withUnsafeBytes { Array($0) }
        default:
            throw Error.unsupportedKDF(kdfName)
        }
    }

    static func aesCTR(_ data: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        Array(try AES._CTR.encrypt(data, using: SymmetricKey(data: key), nonce: AES._CTR.Nonce(nonceBytes: iv)))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static func uuidV4() -> String { UUID().uuidString.lowercased() }

    static func describe(_ e: DecodingError) -> String {
        switch e {
        case .keyNotFound(let k, _): return "missing field \"\(k.stringValue)\""
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            return "wrong type at \(ctx.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted(let ctx): return ctx.debugDescription
        @unknown default: return "\(e)"
        }
    }

    struct File: Codable {
        var address: String?
        var crypto: CryptoSection
        var id: String?
        var version: Int

        enum CodingKeys: String, CodingKey { case address, crypto, Crypto, id, version }

        init(address: String?, crypto: CryptoSection, id: String?, version: Int) {
            self.address = address; self.crypto = crypto; self.id = id; self.version = version
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            address = try c.decodeIfPresent(String.self, forKey: .address)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            version = try c.decode(Int.self, forKey: .version)
            // Some older tools wrote "Crypto" with a capital C; geth reads both.
            if let lower = try c.decodeIfPresent(CryptoSection.self, forKey: .crypto) {
                crypto = lower
            } else {
                crypto = try c.decode(CryptoSection.self, forKey: .Crypto)
            }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(address, forKey: .address)
            try c.encode(crypto, forKey: .crypto)
            try c.encodeIfPresent(id, forKey: .id)
            try c.encode(version, forKey: .version)
        }
    }

    struct CryptoSection: Codable {
        var cipher: String
        var cipherparams: CipherParams
        var ciphertext: String
        var kdf: String
        var kdfparams: KDFParams
        var mac: String
    }

    struct CipherParams: Codable { var iv: String }

    struct KDFParams: Codable {
        var dklen: Int
        var salt: String
        var n: Int?
        var r: Int?
        var p: Int?
        var c: Int?
        var prf: String?
    }
}
