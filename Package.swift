// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Ankr",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ankr", targets: ["ankr"]),
        .executable(name: "ankr-bench", targets: ["ankr-bench"]),
        .executable(name: "ankr-evm", targets: ["ankr-evm"]),
        .library(name: "AnkrPrimitives", targets: ["AnkrPrimitives"]),
        .library(name: "AnkrCrypto", targets: ["AnkrCrypto"]),
        .library(name: "AnkrTrie", targets: ["AnkrTrie"]),
        .library(name: "AnkrStorage", targets: ["AnkrStorage"]),
        .library(name: "AnkrEVM", targets: ["AnkrEVM"]),
        .library(name: "AnkrChain", targets: ["AnkrChain"]),
        .library(name: "AnkrEnclave", targets: ["AnkrEnclave"]),
        .library(name: "AnkrSandbox", targets: ["AnkrSandbox"]),
        .executable(name: "ankr-enclave", targets: ["ankr-enclave"]),
        .library(name: "AnkrWork", targets: ["AnkrWork"]),
        .library(name: "AnkrConsensus", targets: ["AnkrConsensus"]),
        .library(name: "AnkrRPC", targets: ["AnkrRPC"]),
        .library(name: "AnkrEthAPI", targets: ["AnkrEthAPI"]),
        .library(name: "AnkrP2P", targets: ["AnkrP2P"]),
        .library(name: "AnkrNode", targets: ["AnkrNode"]),
        .library(name: "AnkrPlasma", targets: ["AnkrPlasma"]),
        .library(name: "AnkrOracle", targets: ["AnkrOracle"]),
        .library(name: "AnkrAppChain", targets: ["AnkrAppChain"]),
        .library(name: "AnkrIdentity", targets: ["AnkrIdentity"]),
        .library(name: "AnkrAssets", targets: ["AnkrAssets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/swiftwasm/WasmKit.git", from: "0.4.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        .target(name: "AnkrPrimitives"),
        .target(
            name: "AnkrCrypto",
            dependencies: [
                "AnkrPrimitives",
                "CSecp256k1",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(name: "AnkrTrie", dependencies: ["AnkrPrimitives"]),
        .target(
            name: "AnkrStorage",
            dependencies: ["AnkrPrimitives", "AnkrTrie", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        .target(name: "AnkrEVM", dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrTrie", .product(name: "Crypto", package: "swift-crypto")],
                // The KZG ceremony's points, compiled in as bytes: no bundle to find at run time.
                resources: [.embedInCode("Resources/kzg-trusted-setup.txt")]),
        .target(name: "AnkrChain", dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrTrie", "AnkrStorage", "AnkrEVM"]),
        // Intel DCAP quote verification (SGX and TDX): the DCAP logic is ours, X.509/ASN.1/P-256 are Apple's.
        .target(
            name: "AnkrDCAP",
            dependencies: ["AnkrPrimitives", .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The fuel-metered WebAssembly sandbox: what both the node and the enclave process run.
        .target(name: "AnkrSandbox", dependencies: ["AnkrPrimitives", .product(name: "WasmKit", package: "WasmKit")]),
        .target(name: "AnkrEnclave", dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrDCAP", "AnkrSandbox"]),
        // The enclave as its own measured process: the sandbox, the lottery, the key and a quote backend behind a Unix socket.
        .executableTarget(name: "ankr-enclave", dependencies: ["AnkrEnclave", "AnkrSandbox", "AnkrCrypto", "AnkrPrimitives"]),
        // The EnclaveRegistry system contract and the attestation rules of genesis.
        .target(name: "AnkrEnclaveRegistry", dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrChain", "AnkrEnclave", "AnkrDCAP",
                                                          .product(name: "X509", package: "swift-certificates"),
                                                          .product(name: "SwiftASN1", package: "swift-asn1")]),
        .target(name: "AnkrOracle", dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrChain", "AnkrEnclave", "AnkrEnclaveRegistry", "AnkrRPC",
                                                  .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                  .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                                  .product(name: "Logging", package: "swift-log")]),
        .target(name: "AnkrPlasma", dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrTrie", "AnkrStorage", "AnkrChain", "AnkrRPC", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")]),
        // Application chains: the main-chain registry and roots, commitments and disputes by stateless re-execution.
        .target(name: "AnkrAppChain", dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrTrie", "AnkrChain", "AnkrRPC", "AnkrDCAP", "AnkrEnclave", "AnkrEnclaveRegistry",
                                                    "AnkrOracle", .product(name: "Logging", package: "swift-log")]),
        .target(name: "AnkrIdentity", dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrChain"]),
        .target(name: "AnkrAssets", dependencies: ["AnkrPrimitives", "AnkrChain", "AnkrOracle", "AnkrRPC"]),
        .target(
            name: "AnkrWork",
            dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrChain", "AnkrEnclave", "AnkrEnclaveRegistry", "AnkrRPC", "AnkrSandbox"]
        ),
        .target(
            name: "AnkrConsensus",
            dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrChain", "AnkrEnclave", "AnkrEnclaveRegistry", "AnkrDCAP", "AnkrWork", "AnkrSandbox", .product(name: "WAT", package: "WasmKit")]
        ),
        .target(
            name: "AnkrP2P",
            dependencies: [
                "AnkrPrimitives", "AnkrCrypto", "AnkrChain",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "AnkrRPC",
            dependencies: [
                "AnkrPrimitives", "AnkrCrypto", "AnkrChain",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .target(name: "AnkrEthAPI", dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrTrie", "AnkrStorage", "AnkrEVM", "AnkrChain", "AnkrRPC"]),
        .target(
            name: "AnkrNode",
            dependencies: ["AnkrPrimitives", "AnkrCrypto", "AnkrChain", "AnkrStorage", "AnkrRPC", "AnkrEthAPI", "AnkrP2P", "AnkrEnclave", "AnkrEnclaveRegistry", "AnkrWork", "AnkrSandbox", "AnkrConsensus", "AnkrPlasma", "AnkrOracle",
                           "AnkrIdentity", "AnkrAssets", "AnkrAppChain",
                           .product(name: "Logging", package: "swift-log"), .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .executableTarget(
            name: "ankr",
            dependencies: [
                "AnkrPrimitives", "AnkrCrypto", "AnkrTrie", "AnkrChain", "AnkrRPC", "AnkrNode", "AnkrWork", "AnkrSandbox", "AnkrConsensus",
                "AnkrEnclave", "AnkrPlasma", "AnkrOracle", "AnkrEVM", "AnkrIdentity", "AnkrAssets", "AnkrDCAP", "AnkrAppChain",
                "AnkrCommandLine", "AnkrEVMCommand",
                .product(name: "WAT", package: "WasmKit"),
                .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What every command-line tool shares: one-line errors on stderr, sorted JSON output, a big stack.
        .target(name: "AnkrCommandLine", dependencies: ["AnkrPrimitives", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // `ankr evm`, also built alone as `ankr-evm` so the conformance suites need not compile the node optimized.
        .target(name: "AnkrEVMCommand", dependencies: ["AnkrCommandLine", "AnkrEVM", "AnkrPrimitives",
                                                       .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "ankr-evm", dependencies: ["AnkrEVMCommand"]),
        // Benchmarks, kept out of the shipped `ankr` binary; the direct libsecp256k1 call is a baseline.
        .executableTarget(
            name: "ankr-bench",
            dependencies: [
                "AnkrPrimitives", "AnkrCrypto", "AnkrTrie", "AnkrChain", "AnkrStorage", "AnkrP2P", "AnkrRPC", "AnkrNode", "AnkrWork", "AnkrSandbox",
                "AnkrEnclave", "AnkrConsensus", "AnkrPlasma", "AnkrOracle", "AnkrEVM", "AnkrAssets", "AnkrDCAP", "AnkrAppChain",
                "AnkrCommandLine", "CSecp256k1", .product(name: "WAT", package: "WasmKit"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test-only helpers: locating ../shared/vectors and a seeded generator for fuzz tests.
        .target(name: "AnkrTestSupport", dependencies: ["AnkrChain", "AnkrPrimitives"], path: "Tests/AnkrTestSupport"),
        // Test-only: a test PKI that mints DCAP evidence (root, PCK certificates, TCB info, QE identity, quotes).
        .target(
            name: "AnkrDCAPTesting",
            dependencies: ["AnkrDCAP", "AnkrPrimitives", .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/AnkrDCAPTesting"
        ),
        .testTarget(name: "AnkrDCAPTests", dependencies: ["AnkrDCAP", "AnkrDCAPTesting", "AnkrPrimitives", "AnkrTestSupport",
                                                       .product(name: "Crypto", package: "swift-crypto"),
                                                       .product(name: "X509", package: "swift-certificates")]),
        .testTarget(name: "AnkrEnclaveRegistryTests", dependencies: ["AnkrEnclaveRegistry", "AnkrEnclave", "AnkrDCAP", "AnkrDCAPTesting", "AnkrChain",
                                                                  "AnkrCrypto", "AnkrPrimitives", "AnkrTestSupport"]),
        .testTarget(name: "AnkrPrimitivesTests", dependencies: ["AnkrPrimitives", "AnkrTestSupport"]),
        .testTarget(name: "AnkrCryptoTests", dependencies: ["AnkrCrypto", "AnkrPrimitives", "AnkrTestSupport"]),
        .testTarget(name: "AnkrEVMTests", dependencies: ["AnkrEVM", "AnkrPrimitives", "AnkrTestSupport"]),
        .testTarget(name: "AnkrTrieTests", dependencies: ["AnkrTrie", "AnkrPrimitives", "AnkrTestSupport"]),
        .testTarget(name: "AnkrStorageTests", dependencies: ["AnkrStorage", "AnkrPrimitives", "AnkrTrie", "AnkrTestSupport"]),
        .testTarget(name: "AnkrChainTests", dependencies: ["AnkrChain", "AnkrCrypto", "AnkrPrimitives", "AnkrTrie", "AnkrStorage", "AnkrTestSupport"]),
        .testTarget(name: "AnkrEthAPITests", dependencies: ["AnkrEthAPI", "AnkrRPC", "AnkrChain", "AnkrCrypto", "AnkrEVM", "AnkrPrimitives",
                                                         "AnkrStorage", "AnkrTrie", "AnkrTestSupport"]),
        .testTarget(name: "AnkrRPCTests", dependencies: ["AnkrRPC", "AnkrEthAPI", "AnkrChain", "AnkrCrypto", "AnkrPrimitives", "AnkrStorage", "AnkrTrie", "AnkrTestSupport"]),
        .testTarget(
            name: "AnkrWorkTests",
            dependencies: ["AnkrWork", "AnkrSandbox", "AnkrChain", "AnkrCrypto", "AnkrEnclave", "AnkrEnclaveRegistry", "AnkrPrimitives", "AnkrTestSupport",
                           .product(name: "WAT", package: "WasmKit"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "AnkrConsensusTests",
            dependencies: ["AnkrConsensus", "AnkrChain", "AnkrEnclave", "AnkrWork", "AnkrSandbox", "AnkrCrypto", "AnkrPrimitives", "AnkrStorage",
                           "AnkrTestSupport", .product(name: "WAT", package: "WasmKit")]
        ),
        .testTarget(name: "AnkrAppChainTests", dependencies: ["AnkrAppChain", "AnkrChain", "AnkrCrypto", "AnkrEVM", "AnkrPrimitives", "AnkrStorage", "AnkrTrie",
                                                           "AnkrTestSupport", "AnkrPlasma", "AnkrEnclave", "AnkrEnclaveRegistry", "AnkrOracle"]),
        .testTarget(name: "AnkrPlasmaTests", dependencies: ["AnkrPlasma", "AnkrChain", "AnkrCrypto", "AnkrPrimitives", "AnkrRPC", "AnkrStorage", "AnkrTrie", "AnkrTestSupport",
                                                         .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "AnkrOracleTests", dependencies: ["AnkrOracle", "AnkrChain", "AnkrCrypto", "AnkrEnclave", "AnkrEnclaveRegistry", "AnkrPrimitives", "AnkrRPC", "AnkrTestSupport",
                                                         .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "AnkrIdentityTests", dependencies: ["AnkrIdentity", "AnkrChain", "AnkrCrypto", "AnkrPrimitives", "AnkrTestSupport"]),
        .testTarget(name: "AnkrAssetsTests", dependencies: ["AnkrAssets", "AnkrOracle", "AnkrRPC", "AnkrChain", "AnkrCrypto", "AnkrEnclave", "AnkrEnclaveRegistry",
                                                        "AnkrPrimitives", "AnkrStorage", "AnkrTestSupport"]),
        .testTarget(name: "AnkrEnclaveTests", dependencies: ["AnkrEnclave", "AnkrDCAP", "AnkrDCAPTesting", "AnkrCrypto", "AnkrPrimitives", "AnkrTestSupport"]),
        // The enclave process: its socket protocol, RemoteEnclave against the real `ankr-enclave`, the quote backends against fakes.
        .testTarget(name: "AnkrEnclaveProcessTests", dependencies: ["ankr-enclave", "AnkrEnclave", "AnkrSandbox", "AnkrDCAP", "AnkrDCAPTesting",
                                                                 "AnkrCrypto", "AnkrPrimitives", .product(name: "WAT", package: "WasmKit")]),
        .testTarget(name: "AnkrP2PTests", dependencies: ["AnkrP2P", "AnkrChain", "AnkrCrypto", "AnkrPrimitives", "AnkrStorage", "AnkrTestSupport",
                                                     .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ankrTests", dependencies: ["ankr", "AnkrCommandLine", "AnkrCrypto", "AnkrPrimitives", "AnkrIdentity", "AnkrPlasma",
                                                     .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                                     .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "AnkrBenchTests", dependencies: ["ankr-bench", "AnkrPrimitives"]),
        .testTarget(name: "AnkrNodeTests", dependencies: ["AnkrNode", "AnkrChain", "AnkrCrypto", "AnkrPrimitives", "AnkrRPC", "AnkrStorage",
                                                       "AnkrConsensus", "AnkrEnclave", "AnkrOracle", "AnkrEnclaveRegistry", "AnkrDCAP", "AnkrDCAPTesting",
                                                       .product(name: "Logging", package: "swift-log")]),
    ]
)
