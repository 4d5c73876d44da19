import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile data never reaches a handset (SPEC §1, §5), and the files smsbatch writes are private and safe.
@Suite(.serialized) struct HostileDataTests {
    static let run = ["--as-of", "2026-11-30", "--now", "2026-11-30T10:00:00+08:00"]

    /// Three subscribers whose notices carry, from the data, a link, a forged signature and a text far over 500
    /// units (a trial reminder naming fifteen long services), and one whose summary is clean.
    static func snapshot(_ w: Workspace) throws -> String {
        let dir = w.file("hostile")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
        msisdn,brand,status,join_date,avg_monthly_spend,suspensions,dnd
        13800138001,gotone,active,2020-01-01,100,0,0
        13800138002,mzone,active,2020-01-01,100,0,0
        13800138003,easyown,active,2020-01-01,100,0,0
        13800138004,easyown,active,2020-01-01,100,0,0

        """.write(toFile: dir + "/subscribers.csv", atomically: true, encoding: .utf8)
        var subscriptions = "msisdn,service_code,service_name,monthly_fee,status,trial_end,after_trial\n"
        subscriptions += "13800138001,LINK,领奖见abc.cn,5,active,,\n"
        subscriptions += "13800138002,SIGN,【中国联通】积分兑换,5,active,,\n"
        // A trial reminder names every service: fifteen 35-character names are far over 500 units.
        for i in 0..<15 { subscriptions += "13800138003,LONG\(i),\(String(repeating: "很长的业务名称", count: 5)),\(i + 1),active,2026-12-01,renew\n" }
        subscriptions += "13800138004,MUSIC,音乐包 11.11元档,11.11,active,,\n"
        try subscriptions.write(toFile: dir + "/subscriptions.csv", atomically: true, encoding: .utf8)
        try "msisdn,balance,expiring,clearing_date\n".write(toFile: dir + "/points.csv", atomically: true, encoding: .utf8)
        return dir
    }

    /// Fails on today's code: these were sent as they were.
    @Test func linksSignaturesAndOverlongTextsAreHeldNotSentUntilAnOperatorDecides() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("c.json", #"{"summary_max_named": 5}"#)
        let data = try Self.snapshot(w)
        let dry = try w.run(["run", "--config", "c.json", "--data", data, "--as-of", "2026-11-30", "--dry-run", "--gateway", "file:dry.jsonl"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(
            try records(w.read("dry.jsonl")).map { $0["msisdn"] as! String } == ["13800138003", "13800138004"],
            "a dry run writes no record for a held message")
        let r = try w.run(["run", "--config", "c.json", "--data", data, "--gateway", "file:out.jsonl"] + Self.run)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("held 3"), "\(r.stderr)")
        let sent = try records(w.read("out.jsonl"))
        #expect(sent.map { $0["msisdn"] as! String } == ["13800138003", "13800138004"], "the summaries; not the long trial reminder")
        #expect((sent.last?["text"] as? String)?.contains("11.11") == true, "an amount is no link")
        var status = try CrashTests.status(w)
        #expect(status["held"] as? Int == 3 && CrashTests.total(status, "sent") == 2, "\(status)")
        let list = try w.run(["held"])
        #expect(list.stdout.contains("link") && list.stdout.contains("signature") && list.stdout.contains("longer than 500"), "\(list.stdout)")
        #expect(!list.stdout.contains("13800138001"), "numbers masked")

        let again = try w.run(["send", "--now", "2026-11-30T11:00:00+08:00", "--gateway", "file:out.jsonl"])
        #expect(again.status == 0 && again.stderr.contains("sent 0"), "held messages use no send: \(again.stderr)")
        let ids = list.stdout.split(separator: "\n").filter { $0.contains("138****") }.map { String($0.split(separator: " ")[0]) }
        #expect(ids.count == 3)
        let noName = try w.run(["held", "release", "--id", ids[0]])
        #expect(noName.status == 2, "who decides must be named")
        let released = try w.run(["held", "release", "--id", ids[0], "--by", "ops-li", "--note", "checked with marketing"])
        #expect(released.status == 0 && released.stdout.contains("1 held messages released"), "\(released.stdout)\(released.stderr)")
        let dropped = try w.run(["held", "drop", "--all", "--by", "ops-wang"])
        #expect(dropped.status == 0 && dropped.stdout.contains("2 held messages dropped"), "\(dropped.stdout)")
        let send = try w.run(["send", "--now", "2026-11-30T11:00:00+08:00", "--gateway", "file:out.jsonl"])
        #expect(send.status == 0 && send.stderr.contains("sent 1"), "\(send.stderr)")
        status = try CrashTests.status(w)
        #expect(status["held"] as? Int == 0 && CrashTests.total(status, "dropped") == 2 && CrashTests.total(status, "sent") == 3)
        let audit = try sqlite(w.file("smsbatch-ledger.sqlite"), "SELECT by_name || ' ' || action FROM operator_actions ORDER BY rowid")
        #expect(audit == ["ops-li release", "ops-wang drop", "ops-wang drop"])
        let rerun = try w.run(["run", "--config", "c.json", "--data", data, "--gateway", "file:out.jsonl"] + Self.run)
        #expect(rerun.stderr.contains("planned 0"), "a decided message is not planned again: \(rerun.stderr)")
    }

    /// Fails on today's code: the reject file went to the shared temp folder, created 0644 then chmod-ed, and a
    /// planted symlink at its predictable name was written through.
    @Test func theRejectFileIsPrivateBesideTheLedgerSpreadsheetSafeAndNeverWrittenThroughALink() throws {
        let w = try Workspace()
        defer { w.remove() }
        let data = w.file("bad")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Binary.fixture("day-2026-11-30/points.csv"), toPath: data + "/points.csv")
        try FileManager.default.copyItem(atPath: Binary.fixture("day-2026-11-30/subscriptions.csv"), toPath: data + "/subscriptions.csv")
        var subscribers = try String(contentsOfFile: Binary.fixture("day-2026-11-30/subscribers.csv"), encoding: .utf8)
        subscribers += "=HYPERLINK(\"http://x\"),gotone,active,2020-01-01,10,0,0\n"
        try subscribers.write(toFile: data + "/subscribers.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: w.file("state"), withIntermediateDirectories: true)
        let args = ["run", "--data", data, "--gateway", "file:out.jsonl", "--max-bad-rows", "1"] + Self.run
        let r = try w.run(args + ["--ledger", "state/ledger.sqlite"])
        #expect(r.status == 0, "\(r.stderr)")
        let path = w.file("state/smsbatch-rejects-2026-11-30.csv")
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_mode & 0o777 == 0o600, "owner-only from creation")
        let text = w.read("state/smsbatch-rejects-2026-11-30.csv")
        #expect(text.contains("'=HYPERLINK"), "a formula is escaped: \(text)")
        #expect(!text.split(separator: "\n").contains { $0.contains(",=") || $0.hasPrefix("=") })

        // A symlink planted at the name is refused, and its target left alone.
        try FileManager.default.removeItem(atPath: path)
        try "precious\n".write(toFile: w.file("precious.txt"), atomically: true, encoding: .utf8)
        #expect(symlink(w.file("precious.txt"), path) == 0)
        let planted = try w.run(args + ["--ledger", "state/other.sqlite"])
        #expect(planted.status == 74, "\(planted.stderr)")
        #expect(w.read("precious.txt") == "precious\n")
    }

    /// Fails on today's code: `--html` and `--metrics` renamed over whatever was at the path, a device included.
    @Test func reportsRefuseTargetsThatAreNotRegularFiles() throws {
        let w = try Workspace()
        defer { w.remove() }
        #expect(mkfifo(w.file("fifo"), 0o600) == 0)
        #expect(symlink("/dev/null", w.file("null-link")) == 0)
        let preview = try w.run(["preview", "--data", Binary.fixture("day-2026-11-30"), "--as-of", "2026-11-30", "--html", "null-link"])
        #expect(preview.status == 74 && preview.stderr.contains("not a regular file"), "\(preview.stderr)")
        let metrics = try w.run(["run", "--data", Binary.fixture("day-2026-11-30"), "--gateway", "file:out.jsonl", "--metrics", "fifo"] + Self.run)
        #expect(metrics.stderr.contains("not a regular file"), "\(metrics.stderr)")
        var info = stat()
        #expect(lstat(w.file("fifo"), &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO is still there")
        #expect(lstat(w.file("null-link"), &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        // A file gateway may write to a FIFO: a reader gets every record.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [w.file("fifo")]
        let out = Pipe()
        reader.standardOutput = out
        try reader.run()
        let r = try w.run(["run", "--data", Binary.fixture("day-2026-11-30"), "--gateway", "file:fifo", "--ledger", "f.sqlite"] + Self.run)
        let piped = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try records(piped).count == 41)
    }

    /// Fails on today's code: the lock was a `.lock` name beside the ledger, so a symlink to the ledger (or a
    /// deleted lock file) let a second run in.
    @Test func theLockIsOnTheLedgerFileWhateverNameReachesIt() throws {
        let w = try Workspace()
        defer { w.remove() }
        let first = try w.run(["run", "--data", Binary.fixture("day-2026-11-30"), "--gateway", "file:out.jsonl"] + Self.run)
        #expect(first.status == 0)
        #expect(symlink(w.file("smsbatch-ledger.sqlite"), w.file("alias.sqlite")) == 0)
        #expect(link(w.file("smsbatch-ledger.sqlite"), w.file("hard.sqlite")) == 0)
        let fd = open(w.file("alias.sqlite"), O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        for name in ["smsbatch-ledger.sqlite", "alias.sqlite", "hard.sqlite"] {
            let r = try w.run(["send", "--ledger", name, "--now", "2026-11-30T10:00:00+08:00", "--gateway", "file:out.jsonl"])
            #expect(r.status == 75, "\(name): \(r.stderr)")
        }
    }

    /// Fails on today's code: each of these ran for a long time, trapped or gave a misleading message.
    @Test(arguments: [
        (["replay", "--data", "x", "--from", "2026-11-30", "--to", "2999-12-31"], "more than"),
        (["replay", "--data", "x", "--from", "2026-11-30", "--to", "9999-12-31"], "outside the years"),
        (["run", "--data", "x", "--as-of", "0001-01-01", "--dry-run"], "outside the years"),
        (["run", "--data", "x", "--as-of", "2026-11-30", "--concurrency", "100000"], "--concurrency must be from 1"),
    ])
    func absurdArgumentsAreUsageErrors(_ args: [String], _ says: String) throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(args)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(says), "\(r.stderr)")
    }
}

/// The first column of a query on a SQLite file, through the sqlite3 shell's library (Python's).
func sqlite(_ path: String, _ query: String) throws -> [String] {
    try toolOutput([
        "python3", "-c", "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nfor r in c.execute(sys.argv[2]).fetchall(): print(r[0])\nc.commit()",
        path, query,
    ]).split(separator: "\n").map(String.init)
}

/// A ledger shared with a newer smsbatch may hold a rule this one does not know: `send` stops (exit 78) instead
/// of relabelling the message as another rule (fails on the code before: it was sent as a month-end summary).
@Suite(.serialized) struct UnknownRuleTests {
    @Test func aRuleThisBuildDoesNotKnowStopsTheSendInsteadOfBeingRelabelled() throws {
        let w = try Workspace()
        defer { w.remove() }
        let night = try w.run([
            "run", "--data", Binary.fixture("day-2026-11-30"), "--as-of", "2026-11-30",
            "--now", "2026-11-30T03:00:00+08:00", "--gateway", "file:out.jsonl",
        ])
        #expect(night.status == 0, "\(night.stderr)")
        _ = try sqlite(
            w.file("smsbatch-ledger.sqlite"),
            "UPDATE messages SET rule = 'credit-validity' WHERE seq = (SELECT min(seq) FROM messages) RETURNING seq")
        let send = try w.run(["send", "--now", "2026-11-30T10:00:00+08:00", "--gateway", "file:out.jsonl"])
        #expect(send.status == 78, "\(send.stderr)")
        #expect(send.stderr.contains("credit-validity") && send.stderr.contains("upgrade smsbatch"))
        // `status` does not leave such a message out of its counts either: it says so.
        let status = try w.run(["status"])
        #expect(status.status == 78 && status.stderr.contains("credit-validity"), "\(status.stdout)\(status.stderr)")
    }
}
