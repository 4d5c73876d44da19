import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Review, approve, send — and know what was delivered (issue 16), on both ledgers.
@Suite(.serialized) struct ApprovalTests {
    static let fixture = Binary.fixture("day-2026-11-30")
    static let night = ["--as-of", "2026-11-30", "--now", "2026-11-30T10:00:00+08:00"]

    /// SHA-256 over `id \t text \n` of a dry run's records, computed here independently.
    static func digest(ofRecords text: String) throws -> String {
        try toolOutput([
            "python3", "-c",
            """
            import json, hashlib, sys
            h = hashlib.sha256()
            for line in open(sys.argv[1]):
                r = json.loads(line); h.update((r["id"] + "\\t" + r["text"] + "\\n").encode())
            print(h.hexdigest())
            """, text,
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func planLine(_ stdout: String) -> String? {
        stdout.split(separator: "\n").first { $0.hasPrefix("plan ") }.map { String($0.dropFirst(5)) }
    }

    static func ledgers() -> [String?] {
        ExternalPart.postgres.runs ? [nil, "postgres"] : [nil]
    }

    @Test(arguments: ledgers())
    func theDigestIsTheSameInPreviewDryRunRunAndLedgerAndOnlyTheApprovedPlanGoes(_ kind: String?) throws {
        let w = try Workspace()
        let db = kind == nil ? nil : try PostgresDatabase()
        defer { w.remove(); db?.drop() }
        let ledger = db.map { ["--ledger", $0.url] } ?? []
        let preview = try w.run(["preview", "--data", Self.fixture, "--as-of", "2026-11-30", "--html", "p.html"] + ledger)
        let previewed = try #require(Self.planLine(preview.stdout), "\(preview.stdout)\(preview.stderr)")
        #expect(w.read("p.html").contains(previewed), "the page shows the digest")
        _ = try w.run(["run", "--data", Self.fixture, "--as-of", "2026-11-30", "--dry-run", "--gateway", "file:dry.jsonl"] + ledger)
        #expect(try Self.digest(ofRecords: w.file("dry.jsonl")) == previewed)

        let run = try w.run(["run", "--data", Self.fixture, "--require-approval", "--gateway", "file:out.jsonl"] + Self.night + ledger)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.planLine(run.stdout) == previewed && run.stdout.contains("awaits approval"), "\(run.stdout)")
        #expect(w.read("out.jsonl").isEmpty, "nothing is sent before approval")
        let pending = try w.run(["preview", "--pending"] + ledger)
        #expect(pending.stdout.contains("plan \(previewed)") && pending.stdout.contains("41 messages"), "\(pending.stdout)")

        // A wrong digest (one character off) releases nothing.
        let wrong = String(previewed.dropLast()) + (previewed.last == "0" ? "1" : "0")
        let refused = try w.run(["approve", "--plan", wrong, "--by", "reviewer-li"] + ledger)
        #expect(refused.status == 0)
        var send = try w.run(["send", "--now", "2026-11-30T10:05:00+08:00", "--gateway", "file:out.jsonl"] + ledger)
        #expect(send.stderr.contains("sent 0"), "\(send.stderr)")
        #expect(try w.run(["approve", "--plan", "XYZ", "--by", "li"] + ledger).status == 2)

        let approved = try w.run(["approve", "--plan", previewed, "--by", "reviewer-li", "--note", "checked"] + ledger)
        #expect(approved.status == 0 && approved.stdout.contains("41 messages"), "\(approved.stdout)\(approved.stderr)")
        send = try w.run(["send", "--now", "2026-11-30T10:06:00+08:00", "--gateway", "file:out.jsonl"] + ledger)
        #expect(send.stderr.contains("sent 41"), "\(send.stderr)")
        #expect(try Self.digest(ofRecords: w.file("out.jsonl")) == previewed, "exactly the approved plan went out")
        let status = try CrashTests.status(w, ledger)
        let approvals = try #require(status["approvals"] as? [[String: Any]])
        #expect(approvals.contains { $0["digest"] as? String == previewed && $0["by"] as? String == "reviewer-li" && $0["messages"] as? Int == 41 })
    }

    /// Approving first (from the afternoon's preview) lets the night's run send at once — only if its plan has the
    /// same digest; data that changed by one message is not covered.
    @Test func approvedBeforeTheRunSendsAtOnceButChangedDataIsNotCovered() throws {
        let w = try Workspace()
        defer { w.remove() }
        let preview = try w.run(["preview", "--data", Self.fixture, "--as-of", "2026-11-30", "--html", "p.html"])
        let digest = try #require(Self.planLine(preview.stdout))
        #expect(try w.run(["approve", "--plan", digest, "--by", "li"]).status == 0)
        let run = try w.run(["run", "--data", Self.fixture, "--require-approval", "--gateway", "file:out.jsonl"] + Self.night)
        #expect(run.status == 0 && run.stderr.contains("sent 41"), "\(run.stderr)")

        // Another day's data changed after its preview: one subscriber fewer.
        let w2 = try Workspace()
        defer { w2.remove() }
        let changed = w2.file("changed")
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: changed)
        let early = try w2.run(["preview", "--data", changed, "--as-of", "2026-11-30", "--html", "p.html"])
        let approvedDigest = try #require(Self.planLine(early.stdout))
        #expect(try w2.run(["approve", "--plan", approvedDigest, "--by", "li"]).status == 0)
        var subscribers = try String(contentsOfFile: changed + "/subscribers.csv", encoding: .utf8).split(separator: "\n")
        subscribers.remove(at: 1)
        try (subscribers.joined(separator: "\n") + "\n").write(toFile: changed + "/subscribers.csv", atomically: true, encoding: .utf8)
        let night = try w2.run(["run", "--data", changed, "--require-approval", "--gateway", "file:out.jsonl"] + Self.night)
        #expect(night.status == 0)
        #expect(Self.planLine(night.stdout) != approvedDigest)
        #expect(night.stdout.contains("differs") && night.stderr.contains("sent 0"), "\(night.stdout)\(night.stderr)")
        #expect(w2.read("out.jsonl").isEmpty)
    }

    @Test(arguments: ledgers())
    func receiptsAreIdempotentTheLatestWinsAndUnknownOrMalformedLinesAreReported(_ kind: String?) throws {
        let w = try Workspace()
        let db = kind == nil ? nil : try PostgresDatabase()
        defer { w.remove(); db?.drop() }
        let ledger = db.map { ["--ledger", $0.url] } ?? []
        let gateway = try FakeGateway(arguments: [], logPath: w.file("gw.jsonl"))
        defer { gateway.stop() }
        let run = try w.run(["run", "--data", Self.fixture, "--gateway", gateway.url] + Self.night + ledger)
        #expect(run.status == 0, "\(run.stderr)")
        let posted = try gateway.requests().compactMap { $0["id"] as? String }
        #expect(posted.count == 41)
        // The fake gateway answers message ids gw-1, gw-2, …: receipts may name either id.
        var lines = [
            #"{"id":"\#(posted[0])","status":"DELIVRD","at":"2026-11-30T10:01:00+08:00"}"#,
            #"{"id":"gw-2","status":"UNDELIV","at":"2026-11-30T10:01:00+08:00"}"#,
            #"{"id":"\#(posted[2])","status":"EXPIRED","at":"2026-11-30T10:01:00+08:00"}"#,
            #"{"id":"\#(posted[2])","status":"DELIVRD","at":"2026-11-30T11:00:00+08:00"}"#,
            #"{"id":"not-a-message","status":"DELIVRD","at":"2026-11-30T10:01:00+08:00"}"#,
            "not json at all",
        ]
        try w.write("r.jsonl", lines.joined(separator: "\n") + "\n")
        let strict = try w.run(["receipts", "--file", "r.jsonl"] + ledger)
        #expect(strict.status == 65 && strict.stderr.contains("line 6"), "\(strict.stderr)")
        let first = try w.run(["receipts", "--file", "r.jsonl", "--max-bad-rows", "1"] + ledger)
        #expect(first.status == 0 && first.stdout.contains("3 applied") && first.stdout.contains("1 unknown"), "\(first.stdout)\(first.stderr)")
        let again = try w.run(["receipts", "--file", "r.jsonl", "--max-bad-rows", "1"] + ledger)
        #expect(again.stdout.contains("0 applied, 3 unchanged"), "the same file twice changes nothing: \(again.stdout)")
        // An older report never overrides a newer one; CSV is read too.
        lines = ["id,status,at", "\(posted[2]),UNDELIV,2026-11-30T10:30:00+08:00"]
        try w.write("r.csv", lines.joined(separator: "\n") + "\n")
        #expect(try w.run(["receipts", "--file", "r.csv"] + ledger).stdout.contains("0 applied"))
        // One message reported under both its ids: the later report wins, whatever the order, and twice is no change.
        lines = [
            #"{"id":"gw-4","status":"DELIVRD","at":"2026-11-30T11:00:00+08:00"}"#,
            #"{"id":"\#(posted[3])","status":"UNDELIV","at":"2026-11-30T10:30:00+08:00"}"#,
        ]
        try w.write("both.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(try w.run(["receipts", "--file", "both.jsonl"] + ledger).stdout.contains("1 applied"))
        #expect(try w.run(["receipts", "--file", "both.jsonl"] + ledger).stdout.contains("0 applied, 1 unchanged"))
        let status = try CrashTests.status(w, ledger)
        #expect(status["delivered"] as? Int == 3 && status["undelivered"] as? Int == 1, "\(status)")
        #expect(abs((status["delivery_rate"] as? Double ?? 0) - 3.0 / 4.0) < 1e-9)
        let codes = try #require(status["top_failure_codes"] as? [[String: Any]])
        #expect(codes.first?["code"] as? String == "UNDELIV")
        #expect(try w.run(["status"] + ledger).stdout.contains("rate"))
    }

    /// A gated run stopped while recording leaves messages no plan names; the rerun's plan takes them in, so its
    /// digest is the one an uninterrupted run would have printed (fails without the adoption: they waited forever).
    @Test func aGatedRunStoppedWhileRecordingLeavesNothingUnnamed() throws {
        let w = try Workspace()
        defer { w.remove() }
        let data = try CrashTests.generated(w, subscribers: 20_000)
        let preview = try w.run(["preview", "--data", data, "--as-of", "2026-11-30", "--html", "p.html", "--ledger", "fresh.sqlite"])
        let whole = try #require(Self.planLine(preview.stdout))
        try w.write("c.json", #"{"batch_size": 25, "require_approval": true}"#)
        let args = ["run", "--config", "c.json", "--data", data, "--gateway", "file:out.jsonl"] + Self.night
        let (process, _, _) = try Binary.start(args, in: w.path)
        let started = CrashTests.poll(60) {
            (try? sqlite(w.file("smsbatch-ledger.sqlite"), "SELECT count(*) FROM messages").first.flatMap { Int($0) } ?? 0) ?? 0 > 0
        }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(started)
        let rerun = try w.run(args)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(Self.planLine(rerun.stdout) == whole, "the rerun's plan is the whole day's: \(rerun.stdout)")
        let pending = try w.run(["preview", "--pending"])
        #expect(pending.stdout.split(separator: "\n").filter { $0.hasPrefix("plan ") }.count == 1, "\(pending.stdout)")
    }

    /// An approval that comes after the notices' dates have passed does not send them late: they expire.
    @Test func aLateApprovalExpiresNoticesWhoseDateHasPassed() throws {
        let w = try Workspace()
        defer { w.remove() }
        let run = try w.run(["run", "--data", Self.fixture, "--require-approval", "--gateway", "file:out.jsonl"] + Self.night)
        let digest = try #require(Self.planLine(run.stdout))
        let late = try w.run(["approve", "--plan", digest, "--by", "li", "--now", "2026-12-06T09:00:00+08:00"])
        #expect(late.status == 0)
        let send = try w.run(["send", "--now", "2026-12-06T09:05:00+08:00", "--gateway", "file:out.jsonl"])
        #expect(send.status == 0)
        let status = try CrashTests.status(w)
        let expired = CrashTests.total(status, "expired"), sent = CrashTests.total(status, "sent")
        #expect(expired > 0 && expired + sent == 41, "\(status)")
        let texts = try records(w.read("out.jsonl")).compactMap { $0["text"] as? String }
        #expect(!texts.contains { $0.contains("今天") }, "no 今天 from November goes out in December")
    }
}
