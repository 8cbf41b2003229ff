// swift-tools-version:6.0
// SwiftDynamo: a DynamoDB-compatible server. Module map and import rules: docs/ARCHITECTURE.md.
//
// Build flag SWIFTDYNAMO_INTERNAL_CHECKS: compiles `checkInvariants()` calls into data structures
// (B-tree, shards). CI's unit-test run passes it: `swift test -Xswiftc -DSWIFTDYNAMO_INTERNAL_CHECKS`.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "SwiftDynamo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftdynamo", targets: ["swiftdynamo"]),
        .executable(name: "swiftdynamo-bench", targets: ["swiftdynamo-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(name: "JSON", swiftSettings: strict),
        .target(name: "Locking", swiftSettings: strict),
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .target(name: "HTTP", dependencies: ["COpenSSL", "CZlib", "CEpoll", "Locking"], swiftSettings: strict),
        .target(name: "SigV4", dependencies: ["COpenSSL", "Locking"], swiftSettings: strict),
        .target(name: "DynamoModel", dependencies: ["JSON"], swiftSettings: strict),
        .target(name: "Expressions", dependencies: ["DynamoModel"], swiftSettings: strict),
        .target(name: "Capacity", dependencies: ["DynamoModel", "Locking"], swiftSettings: strict),
        .target(name: "PartiQL", dependencies: ["DynamoModel", "Expressions"], swiftSettings: strict),
        .target(name: "Storage", dependencies: ["JSON", "DynamoModel", "Expressions", "Locking", "COpenSSL", "CZlib"], swiftSettings: strict),
        .target(
            name: "DynamoAPI",
            dependencies: ["JSON", "DynamoModel", "Expressions", "PartiQL", "Storage", "SigV4", "Capacity"],
            swiftSettings: strict
        ),
        .target(
            name: "Server",
            dependencies: [
                "HTTP", "SigV4", "JSON", "DynamoModel", "Storage", "DynamoAPI", "CZlib", "Capacity",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "swiftdynamo",
            dependencies: [
                "Server",
                "Storage",
                "JSON",
                "DynamoAPI",
                "DynamoModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "swiftdynamo-bench",
            dependencies: [
                "SigV4", "JSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),
        // Helpers shared by the test targets (a seeded random generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "LockingTests", dependencies: ["Locking"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Locking"]),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"]),
        .testTarget(name: "DynamoModelTests", dependencies: ["DynamoModel", "JSON", "TestSupport"]),
        .testTarget(name: "ExpressionsTests", dependencies: ["Expressions", "DynamoModel", "TestSupport"]),
        .testTarget(name: "CapacityTests", dependencies: ["Capacity"]),
        .testTarget(name: "PartiQLTests", dependencies: ["PartiQL", "Expressions", "DynamoModel", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "DynamoModel", "Locking", "TestSupport"]),
        .testTarget(name: "DynamoAPITests", dependencies: ["DynamoAPI", "DynamoModel", "Expressions", "JSON", "Storage", "Capacity"]),
        .testTarget(name: "BenchTests", dependencies: ["swiftdynamo-bench"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "HTTP", "JSON"]),
    ],
    swiftLanguageModes: [.v6]
)
