import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// End to end: the libcurl gateway against a real loopback HTTP server that injects faults.
@Suite(.serialized) struct HTTPGatewayTests {
    static let fixture = Binary.fixture("day-2026-11-30")
    static let config = #"{"http_timeout": 1, "http_connect_timeout": 1, "http_backoff": 0.05, "http_backoff_max": 2}"#

    func plannedIDs(_ w: Workspace) throws -> [String: [String: Any]] {
        _ = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--dry-run", "--gateway", "file:dry.jsonl"])
        return Dictionary(uniqueKeysWithValues: try records(w.read("dry.jsonl")).map { ($0["id"] as! String, $0) })
    }

    @Test func faultyGatewayGetsEveryMessageExactlyOnceAndRejectsAreNotRetried() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("c.json", Self.config)
        let planned = try plannedIDs(w)
        let server = try FakeGateway(
            arguments: [
                "--fail-rate", "0.25", "--reject-suffix", "8003", "--reject-suffix", "0000",
                "--slow", "1.5", "--token", "s3cret-token", "--seed", "11",
            ],
            logPath: w.file("gateway.jsonl"))
        defer { server.stop() }
        let env = ["SMSBATCH_HTTP_TOKEN": "s3cret-token"]
        var outputs = ""
        for hour in 10...14 {
            let r = try w.run(
                [
                    "run", "--config", "c.json", "--data", Self.fixture, "--as-of", "2026-11-30",
                    "--now", "2026-11-30T\(hour):00:00+08:00", "--gateway", server.url,
                ], environment: env)
            outputs += r.stdout + r.stderr
            #expect(r.status == 0, "\(r.stderr)")
            if try w.run(["status"]).stdout.contains("nothing waits") { break }
        }
        #expect(!outputs.contains("s3cret-token"), "the token is never printed")
        let requests = try server.requests()
        let rejectedIDs = Set(planned.filter { id, r in ["8003", "0000"].contains { (r["msisdn"] as! String).hasSuffix($0) } }.keys)
        let accepted = requests.filter { $0["outcome"] as? String == "accepted" }.map { $0["id"] as! String }
        #expect(accepted.count == Set(accepted).count, "no id accepted twice")
        #expect(Set(accepted) == Set(planned.keys).subtracting(rejectedIDs), "every other message accepted")
        for id in rejectedIDs {
            #expect(requests.filter { $0["id"] as? String == id }.count == 1, "a 4xx is not retried")
        }
        #expect(requests.contains { ($0["outcome"] as? String).map { ["500", "503", "429", "slow", "drop"].contains($0) } == true })
        let status = try w.run(["status"]).stdout
        #expect(status.contains("nothing waits"))
        #expect(status.contains("HTTP 400"))
        #expect(status.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil)
    }

    @Test func gatewayDownStopsEarlyExits69AndLosesNothing() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("c.json", #"{"http_timeout": 1, "http_backoff": 0.01, "http_attempts": 2, "http_down_after": 10}"#)
        let planned = try plannedIDs(w)
        let down = try FakeGateway(arguments: ["--down"], logPath: w.file("down.jsonl"))
        let r = try w.run([
            "run", "--config", "c.json", "--data", Self.fixture, "--as-of", "2026-11-30",
            "--now", "2026-11-30T10:00:00+08:00", "--gateway", down.url,
        ])
        down.stop()
        #expect(r.status == 69, "\(r.stderr)")
        #expect(r.stderr.contains("looks down"))
        #expect(try down.requests().count < 41 * 2, "stopped early")
        #expect(try w.run(["status"]).stdout.contains("41 messages wait"))

        let refused = try w.run(["send", "--config", "c.json", "--now", "2026-11-30T10:05:00+08:00", "--gateway", down.url])
        #expect(refused.status == 69, "a refused connection is down too")

        let up = try FakeGateway(arguments: [], logPath: w.file("up.jsonl"))
        defer { up.stop() }
        let later = try w.run(["send", "--config", "c.json", "--now", "2026-11-30T11:00:00+08:00", "--gateway", up.url])
        #expect(later.status == 0, "\(later.stderr)")
        #expect(Set(try up.requests().map { $0["id"] as! String }) == Set(planned.keys))
    }

    @Test func killedMidSendAgainstASlowGatewayNothingIsAcceptedTwice() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("c.json", #"{"http_timeout": 5, "batch_size": 4}"#)
        let planned = try plannedIDs(w)
        let slow = try FakeGateway(arguments: ["--fail-rate", "1", "--faults", "slow", "--slow", "0.3"], logPath: w.file("slow.jsonl"))
        let (process, _, _) = try Binary.start(
            [
                "run", "--config", "c.json", "--data", Self.fixture, "--as-of", "2026-11-30",
                "--now", "2026-11-30T10:00:00+08:00", "--gateway", slow.url, "--concurrency", "2",
            ],
            in: w.path)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try slow.requests().count) < 10 { usleep(50_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        slow.stop()
        #expect(process.terminationReason == .uncaughtSignal)
        let fast = try FakeGateway(arguments: [], logPath: w.file("slow.jsonl"))
        defer { fast.stop() }
        let r = try w.run(["send", "--now", "2026-11-30T10:01:00+08:00", "--gateway", fast.url])
        #expect(r.status == 0, "\(r.stderr)")
        let log = try fast.requests()
        let accepted = log.filter { $0["outcome"] as? String == "accepted" }.map { $0["id"] as! String }
        // The first server's acceptances are in the same log: one acceptance per id across both.
        #expect(accepted.count == Set(accepted).count)
        #expect(Set(accepted) == Set(planned.keys))
        #expect(try w.run(["status"]).stdout.contains("nothing waits"))
    }
}
