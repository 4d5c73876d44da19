import Foundation

/// Runs the built `smsbatch` executable, as an operator or cron would.
struct Binary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root, found from this file.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `SMSBATCH_BIN` (to test another build), else the `smsbatch` this test target depends on: SwiftPM builds it
    /// beside the test bundle, in the same products folder.
    static let path: String = {
        if let p = ProcessInfo.processInfo.environment["SMSBATCH_BIN"], !p.isEmpty { return p }
        return products + "/smsbatch"
    }()

    /// The folder of the running test bundle (`.build/<triple>/<configuration>`), where SwiftPM puts the products
    /// it was built with.
    static let products: String = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The bundle is a file on Linux and a folder (`….xctest/Contents/MacOS/…`) on macOS.
        while url.path.contains(".xctest") { url.deleteLastPathComponent() }
        return url.path
    }()

    static func fixture(_ name: String) -> String { root + "/fixtures/" + name }

    /// Starts smsbatch without waiting.
    static func start(
        _ arguments: [String], in directory: String, environment: [String: String] = [:],
        executable: String? = nil
    ) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SMSBATCH_LEDGER_URL")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    @discardableResult
    static func run(
        _ arguments: [String], in directory: String, environment: [String: String] = [:],
        executable: String? = nil
    ) throws -> Result {
        let (process, out, err) = try start(arguments, in: directory, environment: environment, executable: executable)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A scratch working directory with the project's templates, removed at the end.
struct Workspace {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "smsbatch-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Binary.root + "/templates", toPath: path + "/templates")
    }

    func file(_ name: String) -> String { path + "/" + name }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? ""
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Binary.Result {
        try Binary.run(arguments, in: path, environment: environment)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Records of a JSON Lines file.
func records(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
}

/// The standard output of a tool found on the PATH (`python3`, `sqlite3`), once it has exited.
func toolOutput(_ arguments: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// The messages `scripts/reference.py` (the independent reading of SPEC) plans for `arguments`.
func referencePlan(_ arguments: [String]) throws -> [[String: Any]] {
    try records(toolOutput(["python3", Binary.root + "/scripts/reference.py"] + arguments))
}
