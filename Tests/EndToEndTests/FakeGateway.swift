import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `scripts/fake-gateway.py` on a loopback port, stopped at the end of the test.
final class FakeGateway {
    let server: LoopbackServer
    let logPath: String

    init(arguments: [String], logPath: String) throws {
        self.logPath = logPath
        server = try LoopbackServer(script: "fake-gateway.py", arguments: ["--log", logPath] + arguments)
    }

    var port: Int { server.port }
    var url: String { "http://127.0.0.1:\(port)/sms" }

    func stop() { server.stop() }

    /// Every request the gateway saw.
    func requests() throws -> [[String: Any]] {
        try records((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }
}
