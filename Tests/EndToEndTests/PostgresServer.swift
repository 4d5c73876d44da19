import Foundation

/// A fresh database on the PostgreSQL server that `scripts/with-postgres` started (`SMSBATCH_TEST_POSTGRES_URL`).
struct PostgresDatabase {
    /// The server's URL, ending in `/postgres`; `nil` when no server was started for the tests.
    static let serverURL = ProcessInfo.processInfo.environment["SMSBATCH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    let name: String
    let url: String

    init() throws {
        guard let server = Self.serverURL else { throw Failure(message: "no PostgreSQL server (run the tests with scripts/with-postgres)") }
        name = "smsbatch_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let base = server.components(separatedBy: "/").dropLast().joined(separator: "/")
        url = base + "/" + name
        _ = try Self.psql(server, "CREATE DATABASE \(name)")
    }

    /// The first column of a query's rows.
    func query(_ sql: String) throws -> [String] {
        try Self.psql(url, sql).split(separator: "\n").map(String.init)
    }

    func drop() {
        guard let server = Self.serverURL else { return }
        _ = try? Self.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    struct Failure: Error, CustomStringConvertible { var message: String; var description: String { message } }

    static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", url, "-c", sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(message: "psql: \(error)") }
        return text
    }
}

extension Binary {
    /// `smsbatch-gen` next to the smsbatch binary.
    static var generator: String { products + "/smsbatch-gen" }

    /// Starts every command at once and waits for all of them.
    static func runTogether(_ commands: [[String]], in directory: String, environment: [String: String] = [:]) throws -> [Result] {
        let started = try commands.map { try start($0, in: directory, environment: environment) }
        return started.map { process, out, err in
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errData, as: UTF8.self))
        }
    }
}
