import Foundation
import SMSLedger
import Testing

/// End to end: what an operator sees — metrics, JSON logs, the effective configuration, clear mistakes.
@Suite(.serialized) struct OperationsTests {
    static let fixture = Binary.fixture("day-2026-11-30")

    /// Samples of a Prometheus text file: name{labels} value, with every family declared by HELP and TYPE first.
    func samples(_ text: String) throws -> [String: Double] {
        var declared = Set<String>()
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4 && ["gauge", "counter"].contains(String(parts[3])))
                declared.insert(String(parts[2]))
                continue
            }
            if line.hasPrefix("#") { continue }
            let pieces = line.split(separator: " ")
            #expect(pieces.count == 2, "malformed sample: \(line)")
            let series = String(pieces[0])
            let name = String(series.prefix { $0 != "{" })
            #expect(declared.contains(name), "\(name) has no TYPE line before it")
            #expect(series.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"]*",?)*\})?$"#, options: .regularExpression) != nil)
            out[series] = try #require(Double(pieces[1]))
        }
        return out
    }

    @Test func metricsFileAfterARunAndAfterAFailure() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run([
            "run", "--data", Self.fixture, "--as-of", "2026-11-30", "--now", "2026-11-30T10:00:00+08:00",
            "--gateway", "file:o.jsonl", "--metrics", "m.prom",
        ])
        #expect(r.status == 0)
        let m = try samples(w.read("m.prom"))
        #expect(m["smsbatch_messages_planned{command=\"run\",rule=\"trial-expiry\"}"] == 10)
        #expect(m["smsbatch_messages_sent{command=\"run\",rule=\"month-end-summary\"}"] == 20)
        #expect(m["smsbatch_messages_rejected{command=\"run\",rule=\"points-clearing\"}"] == 0)
        #expect(m["smsbatch_ledger_messages{state=\"sent\",rule=\"points-clearing\"}"] == 11)
        #expect(m["smsbatch_segments_planned{command=\"run\"}"] == 55)
        // The care plan's KPIs per stage: 待清零客户数 and 待清零积分数.
        #expect(m["smsbatch_points_subscribers_at_stake{command=\"run\",stage=\"1\"}"] == 3)
        #expect(m["smsbatch_points_at_stake{command=\"run\",stage=\"1\"}"] == 12120)
        #expect(m["smsbatch_points_at_stake{command=\"run\",stage=\"30\"}"] == 11250)
        #expect(m["smsbatch_bad_rows{command=\"run\"}"] == 0)
        #expect(m["smsbatch_exit_code{command=\"run\"}"] == 0)
        let success = try #require(m["smsbatch_last_success_timestamp_seconds{command=\"run\"}"])
        #expect(abs(success - Date().timeIntervalSince1970) < 120)
        #expect(m["smsbatch_run_duration_seconds{command=\"run\"}"] != nil)
        #expect(!FileManager.default.fileExists(atPath: w.file(".m.prom.tmp")))

        // A failed run keeps the last success time and says its exit code.
        let bad = try w.run(["run", "--data", Binary.fixture("bad-rows"), "--as-of", "2026-11-30", "--metrics", "m.prom"])
        #expect(bad.status == 65)
        let after = try samples(w.read("m.prom"))
        #expect(after["smsbatch_exit_code{command=\"run\"}"] == 65)
        #expect(after["smsbatch_last_success_timestamp_seconds{command=\"run\"}"] == success)
    }

    @Test func jsonLogLinesParseAndMaskNumbers() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run([
            "run", "--data", Binary.fixture("bad-rows"), "--as-of", "2026-11-30", "--dry-run",
            "--max-bad-rows", "20", "--log-format", "json", "--gateway", "file:o.jsonl",
        ])
        #expect(r.status == 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count > 10)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["ts"] is String && object["level"] is String && object["message"] is String)
        }
        #expect(r.stderr.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil)
        let last = try #require(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        #expect((last["planned"] as? [String: Any])?["trial-expiry"] as? Int != nil)
        #expect(last["bad_rows"] as? Int == 13)
        let quiet = try w.run([
            "run", "--data", Self.fixture, "--as-of", "2026-11-30", "--dry-run", "--log-level", "warning",
            "--gateway", "file:q.jsonl",
        ])
        #expect(quiet.stderr.isEmpty)
    }

    @Test func configurationPrecedenceIsFlagThenEnvThenFileThenDefault() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("c.json", #"{"ledger": "from-file.sqlite", "signature": "移动", "daily_quota": 9}"#)
        func value(_ key: String, _ output: String) -> (String, String)? {
            guard let line = output.split(separator: "\n").first(where: { $0.contains("\"\(key)\":") }) else { return nil }
            let parts = line.split(separator: "//")
            return (parts[0].trimmingCharacters(in: .whitespaces), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        let file = try w.run(["config", "--config", "c.json"]).stdout
        #expect(value("ledger", file)?.0.contains("from-file.sqlite") == true)
        #expect(value("ledger", file)?.1 == "file c.json")
        #expect(value("signature", file)?.0.contains("移动") == true)
        #expect(value("max_bad_rows", file)?.1 == "default")
        let env = try w.run(["config", "--config", "c.json"], environment: ["SMSBATCH_LEDGER_URL": "from-env.sqlite"]).stdout
        #expect(value("ledger", env)?.0.contains("from-env.sqlite") == true)
        #expect(value("ledger", env)?.1 == "env SMSBATCH_LEDGER_URL")
        let flag = try w.run(
            ["config", "--config", "c.json", "--ledger", "from-flag.sqlite"], environment: ["SMSBATCH_LEDGER_URL": "from-env.sqlite"]
        ).stdout
        #expect(value("ledger", flag)?.0.contains("from-flag.sqlite") == true)
        #expect(value("ledger", flag)?.1 == "flag --ledger")
        #expect(value("daily_quota", flag)?.0.contains("9") == true)
        #expect(value("per_subscriber_daily_cap", flag)?.0.contains("2") == true)
    }

    @Test(
        arguments: [
            (["run", "--data", "/nonexistent/day", "--as-of", "2026-11-30"], 65, "snapshot directory /nonexistent/day does not exist"),
            (
                ["run", "--data", fixture, "--as-of", "2026-11-30", "--ledger", "/nonexistent/dir/l.sqlite"], 74,
                "the ledger's folder /nonexistent/dir does not exist"
            ),
            (
                ["run", "--data", fixture, "--as-of", "2026-11-30", "--templates", "/nonexistent/templates", "--dry-run"], 78,
                "template folder /nonexistent/templates cannot be read"
            ),
            (["run", "--data", fixture, "--as-of", "2026-11-30", "--config", "/nonexistent/c.json"], 78, "cannot be read"),
            (["run", "--data", fixture, "--as-of", "2026-11-30", "--log-format", "xml"], 2, "--log-format must be human or json"),
            (["send", "--now", "tomorrow"], 2, "is not an ISO 8601 time"),
            (["status", "--ledger", "/nonexistent/l.sqlite"], 2, "no ledger at /nonexistent/l.sqlite yet"),
        ] as [([String], Int32, String)])
    func operatorMistakesGetAClearMessage(_ args: [String], _ code: Int32, _ message: String) throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(args)
        #expect(r.status == code, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func unknownConfigKeyNamesTheClosestOne() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("c.json", #"{"trial_stage": [7, 1]}"#)
        let r = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--config", "c.json"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("'trial_stage' is not a setting; did you mean 'trial_stages'?"))
    }

    @Test func ledgerFromANewerVersionIsRefused() throws {
        let w = try Workspace()
        defer { w.remove() }
        _ = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--now", "2026-11-30T03:00:00+08:00"])
        _ = try toolOutput(["sqlite3", w.file("smsbatch-ledger.sqlite"), "UPDATE meta SET value='99' WHERE name='schema_version'"])
        let r = try w.run(["send", "--now", "2026-11-30T10:00:00+08:00"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("written by a newer smsbatch"))
    }

    /// A ledger written by the first release (schema 1, `fixtures/ledger-v1.sql`: 33 sent, 9 deferred by a cap of 1)
    /// is upgraded in place by the first command that opens it, and goes on as if nothing happened.
    @Test func ledgerFromSchemaOneIsUpgradedAndKeepsItsHistory() throws {
        let w = try Workspace()
        defer { w.remove() }
        _ = try toolOutput(["sqlite3", w.file("smsbatch-ledger.sqlite"), ".read " + Binary.fixture("ledger-v1.sql")])
        let status = try w.run(["status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("33") && status.stdout.contains("9"))
        let ledger = try SQLiteLedger(path: w.file("smsbatch-ledger.sqlite"), readOnly: true)
        let before = try ledger.allMessages()
        #expect(before.count == 42)
        #expect(before.filter { $0.state == "deferred" }.count == 9)
        let send = try w.run(["send", "--now", "2026-12-01T10:00:00+08:00", "--gateway", "file:out.jsonl"])
        #expect(send.status == 0, "\(send.stderr)")
        let sent = try records(w.read("out.jsonl")).map { $0["id"] as! String }
        #expect(Set(sent) == Set(before.filter { $0.state == "deferred" }.map(\.id)))
        let again = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--now", "2026-11-30T03:00:00+08:00"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("planned 0"))
        #expect(try SQLiteLedger(path: w.file("smsbatch-ledger.sqlite"), readOnly: true).allMessages().count == 42)
    }

    @Test func fullDiskWhileWritingTheFileGatewayKeepsEverythingQueued() throws {
        let w = try Workspace()
        defer { w.remove() }
        _ = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--now", "2026-11-30T03:00:00+08:00"])
        let r = try w.run(["send", "--now", "2026-11-30T10:00:00+08:00", "--gateway", "file:/dev/full"])
        #expect(r.status == 74)
        #expect(r.stderr.contains("No space left on device"))
        #expect(try w.run(["status"]).stdout.contains("41 messages wait"))
        let retry = try w.run(["send", "--now", "2026-11-30T10:05:00+08:00", "--gateway", "file:o.jsonl"])
        #expect(retry.status == 0)
        #expect(try records(w.read("o.jsonl")).count == 41)
    }
}
