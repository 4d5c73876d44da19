import Foundation
import SMSLedger
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A shared PostgreSQL ledger with several planners and senders at once, against a real server (issue #7).
@Suite(.serialized, .enabled(if: ExternalPart.postgres.runs, "needs PostgreSQL: scripts/with-postgres"))
struct PostgresLedgerTests {
    static let day = "2026-11-30"
    static let night = "2026-11-30T03:00:00+08:00"
    static let morning = "2026-11-30T10:00:00+08:00"

    /// A generated snapshot of `subscribers` for the month-end day, and the same day run by one process on SQLite:
    /// every message planned, and the ones sent at 10:00.
    func reference(_ w: Workspace, subscribers: Int, config: String) throws -> (planned: Set<String>, sent: Set<String>) {
        try w.write("c.json", config)
        let gen = try Binary.run(
            ["--subscribers", String(subscribers), "--seed", "7", "--as-of", Self.day, "--out", w.file("data")],
            in: w.path, executable: Binary.generator)
        #expect(gen.status == 0, "\(gen.stderr)")
        let r = try w.run([
            "run", "--config", "c.json", "--data", "data", "--as-of", Self.day, "--now", Self.morning,
            "--ledger", "reference.sqlite", "--gateway", "file:reference.jsonl",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let planned = Set(try SQLiteLedger(path: w.file("reference.sqlite"), readOnly: true).allMessages().map(\.id))
        let sent = Set(try records(w.read("reference.jsonl")).map { $0["id"] as! String })
        return (planned, sent)
    }

    func plan(_ w: Workspace, _ db: PostgresDatabase, shards: [String?], now: String = night) throws {
        let runs = try Binary.runTogether(
            shards.map { shard in
                ["run", "--config", "c.json", "--data", "data", "--as-of", Self.day, "--now", now, "--ledger", db.url]
                    + (shard.map { ["--shard", $0] } ?? [])
            }, in: w.path)
        for r in runs { #expect(r.status == 0, "\(r.stderr)") }
    }

    func send(_ w: Workspace, _ db: PostgresDatabase, gateway: FakeGateway, workers: Int) throws -> [Binary.Result] {
        let runs = try Binary.runTogether(
            (0..<workers).map { _ in
                ["send", "--config", "c.json", "--now", Self.morning, "--ledger", db.url, "--gateway", gateway.url, "--concurrency", "4"]
            }, in: w.path)
        for r in runs { #expect(r.status == 0, "\(r.stderr)") }
        return runs
    }

    /// The quota counts agree with the messages: the day's total and each subscriber's, rule by rule.
    func expectCountsMatchMessages(_ db: PostgresDatabase) throws {
        let total = try db.query("SELECT coalesce(sum(sent), 0) FROM smsbatch.daily_counts WHERE day = '\(Self.day)' AND msisdn = ''")
        let messages = try db.query("SELECT count(*) FROM smsbatch.messages WHERE sent_day = '\(Self.day)'")
        #expect(total == messages)
        let mismatched = try db.query(
            """
            SELECT count(*) FROM (SELECT msisdn, rule, count(*) AS n FROM smsbatch.messages WHERE sent_day = '\(Self.day)'
                                  GROUP BY msisdn, rule) m
            FULL JOIN (SELECT msisdn, rule, sent FROM smsbatch.daily_counts WHERE day = '\(Self.day)' AND msisdn <> '' AND sent <> 0) c
                USING (msisdn, rule)
            WHERE m.n IS DISTINCT FROM c.sent
            """)
        #expect(mismatched == ["0"])
    }

    func ids(_ db: PostgresDatabase, where condition: String = "true") throws -> [String] {
        try db.query("SELECT id FROM smsbatch.messages WHERE \(condition) ORDER BY seq")
    }

    @Test func fourPlannersAndFourSendersPostEveryDueMessageExactlyOnce() throws {
        let w = try Workspace(), db = try PostgresDatabase()
        defer { w.remove(); db.drop() }
        let expected = try reference(w, subscribers: 1_500, config: #"{"batch_size": 40, "per_subscriber_daily_cap": 1}"#)
        #expect(expected.sent.count > 1_000)
        #expect(expected.planned.count > expected.sent.count, "the per-subscriber cap should hold some back")

        try plan(w, db, shards: ["1/4", "2/4", "3/4", "4/4"])
        let queued = try ids(db)
        #expect(queued.count == Set(queued).count)
        #expect(Set(queued) == expected.planned)
        #expect(try db.query("SELECT count(*) FROM smsbatch.messages WHERE state <> 'queued'") == ["0"])

        let gateway = try FakeGateway(arguments: [], logPath: w.file("gateway.jsonl"))
        defer { gateway.stop() }
        let senders = try send(w, db, gateway: gateway, workers: 4)
        let posts = try gateway.requests()
        let posted = posts.map { $0["id"] as! String }
        #expect(posted.count == Set(posted).count, "a message was posted twice")
        #expect(Set(posted) == expected.sent)
        #expect(posts.allSatisfy { $0["outcome"] as? String == "accepted" })
        // The work was shared: every sender sent something.
        #expect(senders.filter { $0.stderr.contains("sent 0 ") }.isEmpty, "\(senders.map(\.stderr))")
        #expect(Set(try ids(db, where: "state = 'sent'")) == expected.sent)
        #expect(try db.query("SELECT count(*) FROM smsbatch.messages WHERE state IN ('queued', 'sending')") == ["0"])
        try expectCountsMatchMessages(db)

        // Two more planners at once: nothing new is queued, nothing is posted again.
        try plan(w, db, shards: [nil, nil], now: "2026-11-30T10:30:00+08:00")
        #expect(try ids(db).count == expected.planned.count)
        #expect(try gateway.requests().count == posts.count)
    }

    @Test func dailyQuotaAndPerSubscriberCapHoldAcrossSenders() throws {
        let w = try Workspace(), db = try PostgresDatabase()
        defer { w.remove(); db.drop() }
        let expected = try reference(w, subscribers: 600, config: #"{"batch_size": 7, "daily_quota": 150}"#)
        #expect(expected.sent.count == 150)
        try plan(w, db, shards: ["0/2", "1/2"])
        let gateway = try FakeGateway(arguments: [], logPath: w.file("gateway.jsonl"))
        defer { gateway.stop() }
        _ = try send(w, db, gateway: gateway, workers: 4)
        let posts = try gateway.requests()
        #expect(posts.count == 150)
        #expect(Set(posts.map { $0["id"] as! String }).count == 150)
        var perSubscriber: [String: Int] = [:]
        let rules = Dictionary(
            uniqueKeysWithValues: try db.query("SELECT id || ' ' || rule FROM smsbatch.messages").map { line in
                let parts = line.split(separator: " ")
                return (String(parts[0]), String(parts[1]))
            })
        for post in posts where rules[post["id"] as! String] != "trial-expiry" { perSubscriber[post["to"] as! String, default: 0] += 1 }
        #expect(perSubscriber.values.allSatisfy { $0 <= 2 })
        #expect(try db.query("SELECT count(*) FROM smsbatch.messages WHERE state = 'sent'") == ["150"])
        #expect(
            try db.query("SELECT count(*) FROM smsbatch.messages WHERE state = 'deferred' AND due_day = '2026-12-01'")
                == [String(expected.planned.count - 150)])
        try expectCountsMatchMessages(db)
    }

    @Test func twoPlannersRacingQueueEachKeyOnce() throws {
        let w = try Workspace(), db = try PostgresDatabase()
        defer { w.remove(); db.drop() }
        let expected = try reference(w, subscribers: 1_500, config: #"{"batch_size": 25}"#)
        try plan(w, db, shards: [nil, nil])
        let queued = try ids(db)
        #expect(queued.count == Set(queued).count)
        #expect(Set(queued) == expected.planned)
        // Every key of every message is in `items` once, under that message.
        let counts = try db.query(
            """
            SELECT (SELECT count(*) FROM smsbatch.items) || ' ' ||
                   (SELECT count(DISTINCT k) FROM smsbatch.messages, unnest(string_to_array(keys, E'\\n')) AS k) || ' ' ||
                   (SELECT count(*) FROM smsbatch.messages m CROSS JOIN LATERAL unnest(string_to_array(m.keys, E'\\n')) AS k
                    JOIN smsbatch.items i ON i.key = k AND i.message_id = m.id)
            """)
        let parts = counts.first?.split(separator: " ") ?? []
        #expect(parts.count == 3 && Set(parts).count == 1, "\(counts)")
    }

    @Test func aSenderKilledMidBatchIsTakenOverWhenItsLeaseRunsOut() throws {
        let w = try Workspace(), db = try PostgresDatabase()
        defer { w.remove(); db.drop() }
        try w.write("c.json", #"{"batch_size": 4, "lease_seconds": 2}"#)
        let data = Binary.fixture("day-2026-11-30")
        let r = try w.run(["run", "--config", "c.json", "--data", data, "--as-of", Self.day, "--now", Self.night, "--ledger", db.url])
        #expect(r.status == 0, "\(r.stderr)")
        let planned = Set(try ids(db))
        #expect(planned.count == 41)

        let gateway = try FakeGateway(arguments: ["--fail-rate", "1", "--faults", "slow", "--slow", "0.3"], logPath: w.file("gateway.jsonl"))
        defer { gateway.stop() }
        let (process, _, _) = try Binary.start(
            [
                "send", "--config", "c.json", "--now", Self.morning, "--ledger", db.url,
                "--gateway", gateway.url, "--concurrency", "2",
            ], in: w.path)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try gateway.requests().count) < 6 { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let stranded = try db.query("SELECT count(*) FROM smsbatch.messages WHERE state = 'sending'")
        #expect(stranded != ["0"], "the killed sender should leave a batch marked sending")

        // The next sender leaves live leases alone at first and takes them over once they run out.
        var takenOver = false
        for _ in 0..<5 {
            let s = try w.run([
                "send", "--config", "c.json", "--now", Self.morning, "--ledger", db.url, "--gateway", gateway.url,
                "--concurrency", "4",
            ])
            #expect(s.status == 0, "\(s.stderr)")
            takenOver = takenOver || s.stderr.contains("took over") || s.stderr.contains("sending them again")
            if try db.query("SELECT count(*) FROM smsbatch.messages WHERE state <> 'sent'") == ["0"] { break }
            sleep(1)
        }
        #expect(takenOver)
        #expect(Set(try ids(db, where: "state = 'sent'")) == planned)
        let accepted = try gateway.requests().filter { $0["outcome"] as? String == "accepted" }.map { $0["id"] as! String }
        #expect(accepted.count == Set(accepted).count)
        #expect(Set(accepted) == planned)
        #expect(try db.query("SELECT count(*) FROM smsbatch.messages WHERE worker IS NOT NULL OR lease_until IS NOT NULL") == ["0"])
        try expectCountsMatchMessages(db)
    }

    @Test func failedSendsReturnToTheQueueAndGiveTheirQuotaBack() throws {
        let w = try Workspace(), db = try PostgresDatabase()
        defer { w.remove(); db.drop() }
        try w.write("c.json", #"{"batch_size": 5, "http_attempts": 1, "http_down_after": 1000}"#)
        let r = try w.run([
            "run", "--config", "c.json", "--data", Binary.fixture("day-2026-11-30"), "--as-of", Self.day,
            "--now", Self.night, "--ledger", db.url,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let planned = Set(try ids(db))
        let gateway = try FakeGateway(arguments: ["--fail-rate", "0.4", "--faults", "500", "--seed", "3"], logPath: w.file("gateway.jsonl"))
        defer { gateway.stop() }
        var passes = 0
        while try db.query("SELECT count(*) FROM smsbatch.messages WHERE state <> 'sent'") != ["0"], passes < 30 {
            passes += 1
            _ = try Binary.runTogether(
                (0..<2).map { _ in
                    ["send", "--config", "c.json", "--now", Self.morning, "--ledger", db.url, "--gateway", gateway.url]
                }, in: w.path)
            try expectCountsMatchMessages(db)
        }
        #expect(passes > 1, "the faults should have sent some messages back to the queue")
        #expect(Set(try ids(db, where: "state = 'sent'")) == planned)
        let posts = try gateway.requests()
        #expect(posts.contains { $0["outcome"] as? String == "500" })
        let accepted = posts.filter { $0["outcome"] as? String == "accepted" }.map { $0["id"] as! String }
        #expect(accepted.count == Set(accepted).count && Set(accepted) == planned)
    }

    @Test func schemaIsVersionedAndANewerOneIsRefused() throws {
        let w = try Workspace(), db = try PostgresDatabase()
        defer { w.remove(); db.drop() }
        let r = try w.run(["run", "--data", Binary.fixture("day-2026-11-30"), "--as-of", Self.day, "--now", Self.night, "--ledger", db.url])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try db.query("SELECT value FROM smsbatch.meta WHERE name = 'schema_version'") == ["4"])
        _ = try db.query("UPDATE smsbatch.meta SET value = '99' WHERE name = 'schema_version'")
        let refused = try w.run(["send", "--now", Self.morning, "--ledger", db.url])
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("newer smsbatch"))
        #expect(try db.query("SELECT count(*) FROM smsbatch.messages WHERE state = 'sent'") == ["0"])
    }

    @Test func anUnreachableServerIsOneClearLineWithoutThePassword() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(["send", "--now", Self.morning, "--ledger", "postgres://ops:hunter2secret@127.0.0.1:1/sms"])
        #expect(r.status == 74)
        #expect(r.stderr.contains("postgres://ops@127.0.0.1:1/sms"))
        #expect(!r.stderr.contains("hunter2secret"))
        let env = try w.run(["config", "--ledger", "postgres://ops:hunter2secret@db.example:5432/sms"])
        #expect(!env.stdout.contains("hunter2secret") && !env.stderr.contains("hunter2secret"))
    }
}
