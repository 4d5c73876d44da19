// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "smsbatch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "smsbatch", targets: ["smsbatch"]),
        .executable(name: "smsbatch-gen", targets: ["smsbatch-gen"]),
        .library(name: "SMSCore", targets: ["SMSCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // SHA-256 with the x86 SHA extensions, for message ids (SMSCore falls back to Swift without them).
        .target(name: "CSHA256"),
        // Pure domain logic: model, rules, star level, templates, text metrics. No I/O.
        .target(name: "SMSCore", dependencies: ["CSHA256"]),
        // Reading snapshot directories: CSV, encodings, field validation, bad rows.
        .target(name: "SMSSnapshot", dependencies: ["SMSCore"]),
        // The embedded SQLite C library, as a system library.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // libpq, the PostgreSQL client library, as a system library.
        .systemLibrary(
            name: "CPostgreSQL",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Durable state: sent keys, messages, delivery states; in a SQLite file or a shared PostgreSQL database.
        .target(name: "SMSLedger", dependencies: ["SMSCore", "CSQLite", "CPostgreSQL"]),
        // libcurl, with typed shims for its variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Where messages go: stdout, file, HTTP.
        .target(name: "SMSGateway", dependencies: ["SMSCore", "CCurl"]),
        // The nightly job: load, plan, render, record, deliver.
        .target(
            name: "SMSBatch",
            dependencies: [
                "SMSCore", "SMSSnapshot", "SMSLedger", "SMSGateway",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "smsbatch",
            // Everything the command line imports, said here rather than reached through SMSBatch.
            dependencies: [
                "SMSBatch", "SMSCore", "SMSSnapshot", "SMSLedger", "SMSGateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Deterministic generator of realistic snapshot directories, for benchmarks.
        .executableTarget(name: "smsbatch-gen"),
        .testTarget(name: "SMSCoreTests", dependencies: ["SMSCore"]),
        .testTarget(name: "SMSSnapshotTests", dependencies: ["SMSSnapshot", "SMSCore"]),
        .testTarget(name: "SMSGatewayTests", dependencies: ["SMSGateway", "SMSCore"]),
        .testTarget(name: "SMSLedgerTests", dependencies: ["SMSLedger", "SMSCore"]),
        // The job's parts in process (a fifth rule through the registry, settings, escaping, streaks).
        .testTarget(name: "SMSBatchTests", dependencies: ["SMSBatch", "SMSCore"]),
        // End to end: the built binaries run as an operator or cron would, against real SQLite, PostgreSQL, libcurl,
        // Chromium, and the HTTP and CMPP simulators. They depend on the executables so SwiftPM builds them first.
        .testTarget(name: "EndToEndTests", dependencies: ["smsbatch", "smsbatch-gen", "SMSLedger", "SMSCore"]),
    ],
    swiftLanguageModes: [.v6]
)
