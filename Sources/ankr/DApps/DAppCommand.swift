import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrIdentity
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// `ankr dapp …`: the clients of the two white-paper dApps, whose Vyper contracts `make dapps`
/// compiles into `dapps/build/`.
struct DAppCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dapp", abstract: "The white paper's dApps: rentals with a credit history, and a loan-backed security.",
        subcommands: [RentalCommand.self, LeaseCommand.self, LoanPoolCommand.self])
}

/// Where the compiled contracts are: `--artifacts`, else `dapps/build` under the working directory
/// or next to the checkout the binary was built in.
struct ArtifactOptions: ParsableArguments {
    @Option(help: "Directory of compiled dApp contracts (make dapps writes dapps/build).") var artifacts: String?

    /// The initcode of contract `name` (`<dir>/<name>.json`, key `bytecode`).
    func bytecode(_ name: String) throws -> [UInt8] { try code(name, key: "bytecode") }

    /// The code a deployed contract `name` holds (key `runtimeBytecode`), to check a contract is what it claims.
    func runtimeBytecode(_ name: String) throws -> [UInt8] { try code(name, key: "runtimeBytecode") }

    private func code(_ name: String, key: String) throws -> [UInt8] {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = artifacts.map { [URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath)] }
            ?? [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("dapps/build"),
                exe.appendingPathComponent("../../dapps/build").standardized, exe.appendingPathComponent("../../../dapps/build").standardized]
        for dir in candidates {
            let file = dir.appendingPathComponent("\(name).json")
            guard let data = try? Data(contentsOf: file) else { continue }
            guard let code = (try? JSON(parsing: data))?[key]?.string.flatMap({ try? Hex.decode($0) }), !code.isEmpty else {
                throw CommandFailure("\(file.path) holds no \(key): run `make dapps` again")
            }
            return code
        }
        throw CommandFailure("no compiled \(name) in \(candidates.map(\.path).joined(separator: " or ")): run `make dapps` (or give --artifacts)")
    }
}

extension ContractCall {
    /// Deploys artifact `name` with constructor `arguments` of `types`; returns its address.
    func deploy(_ artifacts: ArtifactOptions, _ name: String, _ arguments: [ABIValue], types: [ABIType]) throws -> (hash: H256, address: Address) {
        let code = try artifacts.bytecode(name) + ABI.encode(arguments, types: types)
        return try deploy(code)
    }

    /// A call of `signature` on `contract`, waiting for success; the receipt's logs.
    func send(_ contract: Address, _ signature: String, _ arguments: [ABIValue], value: UInt256 = .zero) throws -> (hash: H256, logs: [EthClient.Log]) {
        try send(to: contract, value: value, data: try ABI.encodeCall(signature, arguments))
    }

    /// The first log of `contract` with topic0 `keccak(eventSignature)` in a receipt's `logs`.
    static func log(_ eventSignature: String, from contract: Address, in logs: [EthClient.Log]) -> EthClient.Log? {
        let topic = Keccak256.h256(Array(eventSignature.utf8))
        return logs.first { $0.topics.first == topic && $0.address == contract }
    }

    /// The data of ``log(_:from:in:)``, decoded as `types`.
    static func eventData(_ eventSignature: String, from contract: Address, in logs: [EthClient.Log], types: [ABIType]) throws -> [ABIValue]? {
        guard let log = log(eventSignature, from: contract, in: logs) else { return nil }
        return try ABI.decode(types, from: log.data)
    }
}

/// What the dApp commands share: who may read a sealed claim.
enum DAppArguments {
    /// The readers a sealed payload about `subject` of `claimType` goes to: the subject and every
    /// viewer it granted that type, each with its published key (those without one are skipped).
    static func sealedCopies(of claim: SealedClaim, about subject: Address, claimType: UInt256, _ call: ContractCall) throws -> (readers: [Address], copies: [[UInt8]]) {
        let granted = try call.view(IdentityContract.address, IdentityContract.interface, "grantees", [.address(subject), .uint(claimType)])[0]
            .arrayValue?.compactMap(\.addressValue) ?? []
        var readers = [Address](), copies = [[UInt8]]()
        // The subject first; at most what one attestation takes, so granting many viewers cannot make recording fail.
        for reader in [subject] + granted where !readers.contains(reader) && readers.count < IdentityContract.maxReadersPerAttestation {
            guard let key = try? IdentityCommand.encryptionKey(of: reader, call) else { continue }
            readers.append(reader)
            copies.append(try claim.sealed(to: key))
        }
        return (readers, copies)
    }
}
