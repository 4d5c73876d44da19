import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `scripts/fake-gateway.py` on a loopback port, stopped at the end of the test.
final class FakeGateway {
    let process = Process()
    let port: Int
    let logPath: String

    init(arguments: [String], logPath: String) throws {
        self.logPath = logPath
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Binary.root + "/scripts/fake-gateway.py", "--log", logPath] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    var url: String { "http://127.0.0.1:\(port)/sms" }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Every request the gateway saw.
    func requests() throws -> [[String: Any]] {
        try records((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }
}
