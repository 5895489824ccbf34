import AnkrAssets
import AnkrChain
import AnkrCommandLine
import AnkrPrimitives
import AnkrRPC
import ArgumentParser
import Foundation

/// `ankr asset …`: the asset API from the command line. Writes sign a transaction with your key and
/// send it to the node's REST endpoint (the signature is the authentication), then wait until mined.
struct AssetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asset", abstract: "The asset API: promote, read, transfer and burn tokenised off-chain assets.",
        subcommands: [Put.self, Get.self, Transfer.self, Delete.self, Follow.self, ABIJSON.self])

    /// The API's JSON answer for a success status, or its error message as the failure.
    static func answer(_ reply: (status: Int, body: Data)) throws -> [String: JSON] {
        let json = (try? JSON(parsing: reply.body))?.object ?? [:]
        guard (200..<300).contains(reply.status) else {
            let message = json["error"]?["message"]?.string ?? String(decoding: reply.body.prefix(200), as: UTF8.self)
            throw CommandFailure("the asset API answered \(reply.status): \(message)")
        }
        return json
    }

    /// Signs `function(args)` on the Assets contract, sends it to `method path`, waits for it to be
    /// mined, and (unless `quiet`) prints the asset as it is then.
    static func write(_ call: ContractCall, _ method: String, _ path: String, _ function: String, _ args: [ABIValue], quiet: Bool = false) throws {
        let transactor = try call.transactor()
        guard let f = AssetsContract.interface.functions.first(where: { $0.name == function }) else { throw CommandFailure("no \(function)") }
        let tx = try transactor.sign(to: AssetsContract.address, data: try ABI.encodeCall(f.signature, args))
        let body = Data(JSON.object(["transaction": .string(tx.encoded.hexPrefixed)]).serialized())
        let accepted = try answer(try transactor.rpc.rest(method, path: path, body: body))
        guard let hash = accepted["transactionHash"]?.string.flatMap({ try? H256(hex: $0) }) else {
            throw CommandFailure("the asset API accepted without a transaction hash")
        }
        // The API handed the same signed transaction to the pool, so it is what a node that lost it gets again.
        _ = try call.confirmation.waitForSuccess(hash, resending: tx.encoded, with: transactor)
        if quiet { return }
        var asset = try answer(try transactor.rpc.rest("GET", path: "/v1/assets/\(args[0].uintValue ?? .zero)"))
        asset["transactionHash"] = .string(hash.description)
        JSONOutput.print(pretty: true, .object(asset))
    }

    struct Put: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Promote an off-chain asset on chain (PUT /v1/assets/{id}), or as its owner replace its metadata / valuation.")
        @Argument(help: "Asset id (decimal or 0x-hex).") var id: UInt256
        @Option(help: "Metadata: a 0x 32-byte hash, or text (a document, a URL) whose keccak-256 is stored.") var metadata: String
        @Option(name: .customLong("valuation-request"), help: "A delivered NOS request whose answer is the valuation.") var valuationRequest: UInt256?
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                try AssetCommand.write(call, "PUT", "/v1/assets/\(id)", "put",
                                       [.uint(id), .fixedBytes(IdentityCommand.hash(metadata)), .uint(valuationRequest ?? .zero)])
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An asset's status and history (GET /v1/assets/{id}).")
        @Argument(help: "Asset id (decimal or 0x-hex).") var id: UInt256
        @OptionGroup var node: RPCOption

        func run() throws {
            try reportingErrors {
                JSONOutput.print(pretty: true, .object(try AssetCommand.answer(try node.client().rest("GET", path: "/v1/assets/\(id)"))))
            }
        }
    }

    struct Transfer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give your asset to another owner (POST /v1/assets/{id}/transfer).")
        @Argument(help: "Asset id (decimal or 0x-hex).") var id: UInt256
        @Option(help: "The new owner.") var to: Address
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                try AssetCommand.write(call, "POST", "/v1/assets/\(id)/transfer", "transfer", [.uint(id), .address(to)])
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Burn your asset: it was redeemed off chain (DELETE /v1/assets/{id}).")
        @Argument(help: "Asset id (decimal or 0x-hex).") var id: UInt256
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                try AssetCommand.write(call, "DELETE", "/v1/assets/\(id)", "burn", [.uint(id)])
            }
        }
    }

    struct Follow: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As the owner, make your asset's valuation follow a NOS scheduled feed (`ankr oracle schedule`); --schedule 0 stops following.")
        @Argument(help: "Asset id (decimal or 0x-hex).") var id: UInt256
        @Option(help: "The schedule id.") var schedule: UInt256
        @OptionGroup var call: ContractCall

        func run() throws {
            try reportingErrors {
                let (hash, _) = try call.send(AssetsContract.address, AssetsContract.interface, "followSchedule", [.uint(id), .uint(schedule)])
                var asset = try AssetCommand.answer(try call.node.client().rest("GET", path: "/v1/assets/\(id)"))
                asset["transactionHash"] = .string(hash.description)
                JSONOutput.print(pretty: true, .object(asset))
            }
        }
    }

    struct ABIJSON: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "abi", abstract: "Print the Assets contract's ABI JSON, as shipped in abi/Assets.json.")
        func run() throws { print(AssetsContract.interface.json, terminator: "") }
    }
}
