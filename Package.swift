// swift-tools-version: 6.1
import PackageDescription

/// One settings array for every target: Swift 6 language mode, no unsafe flags.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["SluiceCLI"]),
        .library(name: "Sluice", targets: ["Sluice"]),
        .library(name: "SluiceTesting", targets: ["SluiceTesting"]),
        .executable(name: "sluice-bench", targets: ["SluiceBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Tests only: the loopback server the http input's tests run against.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // C libraries (system), linked only by the targets that need them.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        .target(name: "SluiceJSON", swiftSettings: swiftSettings),
        .target(
            name: "SluiceCore",
            dependencies: [
                "SluiceJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "SluiceConfig",
            dependencies: ["SluiceCore", "SluiceJSON", "SluiceYAML", "SluiceMap", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings),
        // YAML that may be hostile (pipeline files, front matter): nesting and alias budgets.
        .target(name: "SluiceYAML", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: swiftSettings),
        .target(
            name: "SluiceFormats",
            dependencies: ["SluiceCore", "SluiceJSON", "SluiceCharset", "SluiceYAML", "CZlib", "CLibXML2", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings),
        .target(name: "SluiceRegex", swiftSettings: swiftSettings),
        .target(
            name: "SluiceSchema",
            dependencies: ["SluiceCore", "SluiceJSON", "SluiceRegex", "CLibXML2"],
            swiftSettings: swiftSettings),
        .target(
            name: "SluiceMap",
            dependencies: ["SluiceCore", "SluiceJSON", "SluiceRegex"],
            swiftSettings: swiftSettings),
        .target(
            name: "SluiceCharset",
            dependencies: ["SluiceCore", "SluiceJSON"],
            swiftSettings: swiftSettings),
        .target(
            name: "SluiceText",
            dependencies: ["SluiceCore", "SluiceJSON", "SluiceCharset"],
            swiftSettings: swiftSettings),
        .target(
            name: "SluiceDedupe",
            dependencies: ["SluiceCore", "SluiceJSON"],
            swiftSettings: swiftSettings),
        .target(
            name: "SluiceStore",
            dependencies: ["SluiceCore", "SluiceJSON", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        .target(
            name: "SluiceHTTP",
            dependencies: ["SluiceCore", "SluiceJSON", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: swiftSettings),
        .target(
            name: "Sluice",
            dependencies: [
                "SluiceCore", "SluiceJSON", "SluiceConfig", "SluiceFormats", "SluiceSchema",
                "SluiceText", "SluiceCharset", "SluiceStore", "SluiceDedupe", "SluiceHTTP", "SluiceMap",
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "SluiceCLI",
            dependencies: [
                "Sluice", "SluiceConfig", "SluiceCore", "SluiceDedupe", "SluiceJSON", "SluiceSchema", "SluiceStore", "SluiceText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "SluiceBench",
            dependencies: [
                "Sluice", "SluiceCharset", "SluiceTesting", "SluiceCore", "SluiceDedupe", "SluiceFormats", "SluiceJSON",
                "SluiceMap", "SluiceSchema", "SluiceStore", "SluiceText",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "SluiceTesting",
            dependencies: ["SluiceCore", "SluiceJSON"],
            swiftSettings: swiftSettings),

        .testTarget(name: "SluiceJSONTests", dependencies: ["SluiceJSON", "SluiceCore", "SluiceTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore", "SluiceJSON", "SluiceTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceConfigTests", dependencies: ["Sluice", "SluiceConfig", "SluiceCore", "SluiceJSON", "SluiceTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceFormatsTests", dependencies: ["SluiceFormats", "SluiceCharset", "SluiceCore", "SluiceJSON", "SluiceTesting", "CZlib"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceRegexTests", dependencies: ["SluiceRegex"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceMapTests", dependencies: ["SluiceMap", "Sluice", "SluiceConfig", "SluiceCore", "SluiceJSON", "SluiceTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceSchemaTests", dependencies: ["SluiceSchema", "SluiceCore", "SluiceJSON", "SluiceTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceCharsetTests", dependencies: ["SluiceCharset", "SluiceCore", "SluiceJSON", "SluiceTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceTextTests", dependencies: ["SluiceText", "SluiceCharset", "SluiceCore", "SluiceJSON", "SluiceTesting"], exclude: ["Chunking/Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceStoreTests", dependencies: ["SluiceStore", "SluiceCore", "SluiceJSON", "SluiceTesting", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceDedupeTests", dependencies: ["SluiceDedupe", "SluiceCore", "SluiceJSON", "SluiceStore", "SluiceTesting", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: swiftSettings),
        .testTarget(
            name: "SluiceHTTPTests",
            dependencies: ["SluiceHTTP", "SluiceConfig", "SluiceStore", "SluiceCore", "SluiceJSON", "SluiceTesting", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        // Sources/Sluice/Operations: quarantine log and replay, run history, metrics, report, pipeline tests.
        .testTarget(name: "SluiceOperationsTests", dependencies: ["Sluice", "SluiceCore", "SluiceJSON", "SluiceStore", "SluiceTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceCLITests", dependencies: ["Sluice", "SluiceCore", "SluiceJSON", "SluiceTesting", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: swiftSettings),
        .testTarget(name: "HostileInputTests", dependencies: ["Sluice", "SluiceCore", "SluiceTesting", "SluiceJSON", "SluiceConfig", "SluiceFormats", "SluiceYAML", "CZlib"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
