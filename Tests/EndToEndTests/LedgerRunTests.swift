import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// End to end: real runs into the SQLite ledger.
@Suite(.serialized) struct LedgerRunTests {
    static let fixture = Binary.fixture("day-2026-11-30")

    func ids(_ text: String) throws -> [String] { try records(text).map { $0["id"] as! String } }

    @Test func replayOfSeventyOneDaysMatchesTheGoldenFileAndAddsNothingTheSecondTime() throws {
        let w = try Workspace()
        defer { w.remove() }
        let args = ["replay", "--data", Binary.fixture("replay"), "--from", "2026-11-01", "--to", "2027-01-10", "--gateway", "file:out.jsonl"]
        let first = try w.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let golden = try String(contentsOfFile: Binary.fixture("replay.expected.jsonl"), encoding: .utf8)
        #expect(w.read("out.jsonl") == golden)
        #expect(first.stderr.split(separator: "\n").filter { $0.contains(": planned ") }.count == 71)

        let second = try w.run(args)
        #expect(second.status == 0)
        #expect(w.read("out.jsonl") == golden, "a second replay sends nothing")
        let again = try w.run([
            "run", "--data", Binary.fixture("replay"), "--as-of", "2026-12-31",
            "--now", "2026-12-31T10:00:00+08:00", "--gateway", "file:out.jsonl",
        ])
        #expect(again.status == 0)
        #expect(again.stderr.contains("planned 0"))
        #expect(w.read("out.jsonl") == golden)
    }

    @Test func replayAgreesWithTheIndependentReading() throws {
        let w = try Workspace()
        defer { w.remove() }
        let expected = try referencePlan([Binary.fixture("replay"), "2026-11-01", "--to", "2027-01-10"])
        let actual = try records(String(contentsOfFile: Binary.fixture("replay.expected.jsonl"), encoding: .utf8))
        #expect(expected.count == actual.count)
        for (e, a) in zip(expected, actual) {
            #expect(e["msisdn"] as? String == a["msisdn"] as? String)
            #expect(e["rule"] as? String == a["rule"] as? String)
            #expect(e["keys"] as? [String] == a["keys"] as? [String])
            #expect(e["stars"] as? Int == a["stars"] as? Int)
        }
    }

    @Test func outsideTheWindowMessagesWaitAndSendDeliversExactlyTheDryRun() throws {
        let w = try Workspace()
        defer { w.remove() }
        let dry = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--dry-run", "--gateway", "file:dry.jsonl"])
        #expect(dry.status == 0)
        let night = try w.run([
            "run", "--data", Self.fixture, "--as-of", "2026-11-30", "--now", "2026-11-30T03:00:00+08:00",
            "--gateway", "file:sent.jsonl",
        ])
        #expect(night.status == 0)
        #expect(night.stderr.contains("41 messages wait in the ledger until 2026-11-30 08:00"))
        #expect(w.read("sent.jsonl").isEmpty)
        let status = try w.run(["status"])
        #expect(status.stdout.contains("41 messages wait"))
        let morning = try w.run(["send", "--now", "2026-11-30T10:00:00+08:00", "--gateway", "file:sent.jsonl"])
        #expect(morning.status == 0, "\(morning.stderr)")
        #expect(try ids(w.read("sent.jsonl")) == ids(w.read("dry.jsonl")))
        #expect(w.read("sent.jsonl") == w.read("dry.jsonl"))
        let late = try w.run(["send", "--now", "2026-11-30T21:00:00+08:00", "--gateway", "file:sent.jsonl"])
        #expect(late.status == 0)
        #expect(try ids(w.read("sent.jsonl")).count == 41)
    }

    @Test func queuedMessagesGoOutEvenWhenTheirDayHasPassed() throws {
        let w = try Workspace()
        defer { w.remove() }
        // Planned after midnight for the day before; the trial that ended on 11-30 is still announced.
        let night = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--now", "2026-12-01T03:00:00+08:00"])
        #expect(night.status == 0)
        let morning = try w.run(["send", "--now", "2026-12-01T10:00:00+08:00", "--gateway", "file:sent.jsonl"])
        #expect(morning.status == 0)
        #expect(try records(w.read("sent.jsonl")).count == 41)
    }

    @Test func secondRunWhileTheFirstHoldsTheLockExits75() throws {
        let w = try Workspace()
        defer { w.remove() }
        // This test process holds the lock on the ledger file itself, as a running smsbatch would.
        let fd = open(w.file("smsbatch-ledger.sqlite"), O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        let r = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--now", "2026-11-30T10:00:00+08:00"])
        #expect(r.status == 75)
        #expect(r.stderr.contains("another smsbatch run holds the ledger"))
        let send = try w.run(["send", "--now", "2026-11-30T10:00:00+08:00"])
        #expect(send.status == 75)
    }

    @Test func dailyQuotaDefersInPriorityOrderAndTheNextDaySendsTheRest() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("c.json", #"{"daily_quota": 30}"#)
        let dry = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--dry-run", "--gateway", "file:dry.jsonl"])
        #expect(dry.status == 0)
        let day1 = try w.run([
            "run", "--config", "c.json", "--data", Self.fixture, "--as-of", "2026-11-30",
            "--now", "2026-11-30T10:00:00+08:00", "--gateway", "file:sent.jsonl",
        ])
        #expect(day1.status == 0)
        #expect(day1.stderr.contains("sent 30"))
        #expect(day1.stderr.contains("deferred 11"))
        let all = try ids(w.read("dry.jsonl"))
        #expect(try ids(w.read("sent.jsonl")) == Array(all.prefix(30)))
        let sameDay = try w.run(["send", "--config", "c.json", "--now", "2026-11-30T15:00:00+08:00", "--gateway", "file:sent.jsonl"])
        #expect(sameDay.status == 0)
        #expect(try ids(w.read("sent.jsonl")).count == 30, "the quota holds for the whole day")
        let day2 = try w.run(["send", "--config", "c.json", "--now", "2026-12-01T09:00:00+08:00", "--gateway", "file:sent.jsonl"])
        #expect(day2.status == 0, "\(day2.stderr)")
        #expect(try ids(w.read("sent.jsonl")) == all)
    }

    @Test func perSubscriberCapHoldsBackTheLeastUrgentButNeverTheTrialNotice() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("c.json", #"{"per_subscriber_daily_cap": 1}"#)
        let r = try w.run([
            "run", "--config", "c.json", "--data", Self.fixture, "--as-of", "2026-11-30",
            "--now", "2026-11-30T10:00:00+08:00", "--gateway", "file:sent.jsonl",
        ])
        #expect(r.status == 0)
        let sent = try records(w.read("sent.jsonl"))
        let mine = sent.filter { $0["msisdn"] as? String == "13800138000" }.map { $0["rule"] as! String }
        #expect(mine == ["trial-expiry", "points-clearing"])
        let next = try w.run(["send", "--config", "c.json", "--now", "2026-12-01T10:00:00+08:00", "--gateway", "file:sent.jsonl"])
        #expect(next.status == 0)
        let later = try records(w.read("sent.jsonl")).filter { $0["msisdn"] as? String == "13800138000" }.map { $0["rule"] as! String }
        #expect(later == ["trial-expiry", "points-clearing", "month-end-summary"])
    }

    @Test func killedMidSendTheNextRunFinishesWithNoKeyUnderTwoIDs() throws {
        let w = try Workspace()
        defer { w.remove() }
        let fifo = w.file("gateway.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        try w.write("c.json", #"{"batch_size": 1}"#)
        // Open the read end first and shrink the pipe so the writer blocks after a few records: a slow gateway.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        _ = fcntl(reader, 1031 /* F_SETPIPE_SZ */, 4096)
        let (process, _, _) = try Binary.start(
            [
                "run", "--config", "c.json", "--data", Self.fixture, "--as-of", "2026-11-30",
                "--now", "2026-11-30T10:00:00+08:00", "--gateway", "file:" + fifo,
            ], in: w.path)
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1024)
        let deadline = Date().addingTimeInterval(20)
        // Read slowly until a handful of records went through, then kill the sender while it is blocked mid-send.
        while received.filter({ $0 == 0x0A }).count < 12, Date() < deadline {
            let n = read(reader, &buffer, 300)
            if n > 0 { received += buffer[0..<n] } else { usleep(50_000) }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        while true {
            let n = read(reader, &buffer, buffer.count)
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        close(reader)
        #expect(process.terminationReason == .uncaughtSignal)
        let firstText = String(decoding: received, as: UTF8.self)
        let firstLines = firstText.split(separator: "\n", omittingEmptySubsequences: true).filter { $0.hasSuffix("}") }
        #expect(firstLines.count >= 12 && firstLines.count < 41)

        let status = try w.run(["status"])
        #expect(status.stdout.contains("sending"))
        let resume = try w.run(["send", "--now", "2026-11-30T10:05:00+08:00", "--gateway", "file:rest.jsonl"])
        #expect(resume.status == 0, "\(resume.stderr)")
        #expect(resume.stderr.contains("being sent when a run stopped"))
        let rest = try records(w.read("rest.jsonl"))
        let first = try firstLines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let dry = try { () throws -> [[String: Any]] in
            _ = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--dry-run", "--gateway", "file:none.jsonl"])
            return try records(w.read("none.jsonl"))
        }()
        #expect(dry.count == 0, "everything is recorded: a dry run finds nothing new")
        var idOfKey: [String: String] = [:]
        for r in first + rest {
            for key in r["keys"] as! [String] {
                let id = r["id"] as! String
                #expect(idOfKey[key] == nil || idOfKey[key] == id, "key \(key) under two ids")
                idOfKey[key] = id
            }
        }
        let delivered = Set((first + rest).map { $0["id"] as! String })
        #expect(delivered.count == 41, "nothing lost")
        #expect(rest.count <= 41 - first.count + 2, "only the messages in flight are sent again, under the same id")
        let final = try w.run(["status"])
        #expect(final.stdout.contains("nothing waits"))
    }
}
