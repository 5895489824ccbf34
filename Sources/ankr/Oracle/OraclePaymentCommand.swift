import AnkrCommandLine
import AnkrCrypto
import AnkrOracle
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

extension OracleCommand {
    /// `ankr oracle payment`: the payment-proof datagram — the enclave asks a bank's Open Banking
    /// payment-status endpoint, with the bearer token only it reads, whether a transfer settled.
    struct Payment: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask the oracle whether a bank transfer settled: the bank's payment-status URL and token are sealed to the enclave.",
            discussion: """
                The enclave GETs --url with your --header lines (e.g. "Authorization: Bearer <token>"), reads the Open Banking \
                payment status and signs settled yes/no with the amount, currency, reference, settlement time, the bank's host and \
                the hash of the creditor account. The URL, headers and account never leave the enclave in the clear; the answer is \
                encrypted to you, or public with --public-answer (for contracts that act on it). The sealed query names you as its \
                requester: copied into anyone else's request it gets invalidParams. Prefer --header-file for a token: a --header \
                value is visible to other users of this machine (ps, /proc) and stays in your shell history.
                """)

        @Option(help: "The bank's payment-status URL (https), e.g. https://bank.example/open-banking/v3.1/pisp/domestic-payments/<id>.")
        var url: String
        @Option(help: "The remittance reference the transfer must carry.") var reference: String
        @Option(help: "The amount the transfer must have, in the currency's units (1200.00).") var amount: String
        @Option(help: "ISO 4217 currency code (GBP, EUR, JPY…).") var currency: String
        @Option(name: .customLong("creditor-account"), help: "The account the transfer must reach (IBAN or sort code + account number).")
        var creditorAccount: String
        @OptionGroup var account: CreditorAccountOptions
        @OptionGroup var secrets: SecretHeaderOptions
        @Flag(name: .customLong("public-answer"), help: "Publish the answer in the clear (the query and token stay sealed).") var publicAnswer = false
        @Option(help: "The escrow: wei or with a unit (default: the least the cap needs; the unspent part comes back).") var fee: Amount?
        @Option(name: .customLong("max-gas-price"), help: "The most you pay per gas of the delivery (default: twice the head's base fee).")
        var maxGasPrice: Amount?
        @Flag(help: "Wait for the answer and print it.") var wait = false
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let currency = currency.uppercased()
                guard let minor = PaymentProof.minorUnits(amount, currency: currency) else {
                    throw CommandFailure("--amount \(amount) is not an amount of \(currency) (at most \(PaymentProof.exponent(of: currency)) decimals)")
                }
                let query: PaymentQuery
                do {
                    query = try PaymentQuery(url: url, reference: reference, amount: minor, currency: currency, creditorAccount: creditorAccount,
                                             creditorScheme: account.scheme(for: creditorAccount), creditorSecondary: account.secondary)
                } catch {
                    throw CommandFailure("\(error)")
                }
                let signer = try call.account.signer()
                let key = try call.view(NOSContract.address, "oracleKey()", returns: [.address, .bytes])
                guard let bytes = key[1].bytesValue, let enclaveKey = try? PublicKey(bytes) else { throw CommandFailure("no oracle enclave is registered") }
                let params = try OraclePrivateEnvelope(params: try query.encoded(), readers: publicAnswer ? [] : [signer.publicKey.compressed],
                                                       headers: try secrets.headers(), requester: signer.address).sealed(to: enclaveKey)
                let type = OracleRequestKind.payment.rawValue | OracleRequestKind.privateFlag
                let cap = try maxGasPrice?.wei ?? OracleCommand.defaultGasPriceCap(call)
                try OracleCommand.submit(call, kind: .payment, type: type, params: params, cap: cap, enclaves: 1, fee: fee?.wei, wait: wait, signer: signer)
            }
        }
    }
}

/// The creditor account's scheme and secondary identification (`ankr oracle payment`, `ankr dapp rental fiat-terms|prove-fiat`).
struct CreditorAccountOptions: ParsableArguments {
    @Option(name: .customLong("creditor-scheme"),
            help: "The account's Open Banking SchemeName (default: UK.OBIE.IBAN for an IBAN, else UK.OBIE.SortCodeAccountNumber).")
    var creditorScheme: String?
    @Option(name: .customLong("creditor-secondary"), help: "The account's SecondaryIdentification (a building society roll number), if it has one.")
    var secondary = ""

    func scheme(for account: String) -> String { creditorScheme ?? PaymentQuery.defaultScheme(for: account) }
}

/// Headers for a private source: `--header` (visible in `ps` and shell history) or `--header-file` (one header a line; `-` reads stdin).
struct SecretHeaderOptions: ParsableArguments {
    @Option(name: .customLong("header"),
            help: "A request header for the source, `Name: value` (repeatable; sealed to the enclave). Visible to `ps` and your shell history: prefer --header-file for tokens.")
    var lines: [String] = []
    @Option(name: .customLong("header-file"), help: "A file of request headers, one `Name: value` a line (`-`: read them from stdin); sealed to the enclave.")
    var headerFile: String?

    func headers() throws -> [SourceHeader] {
        var lines = lines
        if let headerFile {
            let data: Data
            if headerFile == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else {
                guard let read = FileManager.default.contents(atPath: headerFile) else { throw CommandFailure("--header-file \(headerFile) cannot be read") }
                data = read
            }
            guard data.count <= OraclePrivateEnvelope.maxHeaders * (SourceHeader.maxNameBytes + SourceHeader.maxValueBytes + 4),
                  let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure("--header-file \(headerFile) is not a short UTF-8 file of headers")
            }
            lines += text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        }
        return try OracleCommand.headers(lines)
    }
}

extension OracleCommand {
    /// `--header` lines as the envelope carries them, each validated (no CR/LF, no Host or hop-by-hop header).
    static func headers(_ lines: [String]) throws -> [SourceHeader] {
        guard lines.count <= OraclePrivateEnvelope.maxHeaders else { throw CommandFailure("at most \(OraclePrivateEnvelope.maxHeaders) --header lines") }
        return try lines.map { line in
            do { return try SourceHeader(line: line) } catch { throw CommandFailure("--header: \(error)") }
        }
    }

    /// A payment proof as JSON: what the bank said, in minor units and with the amount as text too.
    static func describe(_ proof: PaymentProof) -> [String: JSON] {
        ["settled": .bool(proof.settled), "amountMinor": .string(proof.amount.description), "currency": .string(proof.currency),
         "reference": .string(proof.reference), "settledAt": .int(clamping: proof.settledAt), "bank": .string(proof.bank),
         "creditorAccountHash": .string(proof.creditorAccountHash.bytes.hexPrefixed)]
    }
}
