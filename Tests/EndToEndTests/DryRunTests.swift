import Foundation
import Testing

/// End to end: the built binary on the bundled fixture days.
@Suite(.serialized) struct DryRunTests {
    static let day = ["run", "--as-of", "2026-11-30", "--dry-run"]

    @Test func fixtureDayMatchesTheGoldenFile() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(Self.day + ["--data", Binary.fixture("day-2026-11-30"), "--gateway", "file:out.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        let golden = try String(contentsOfFile: Binary.fixture("day-2026-11-30.expected.jsonl"), encoding: .utf8)
        #expect(w.read("out.jsonl") == golden)
        #expect(r.stderr.contains("planned 41"))
        #expect(!FileManager.default.fileExists(atPath: w.file("smsbatch-ledger.sqlite")), "a dry run creates no ledger")
    }

    /// The loader takes fast paths for exports in subscriber order (rows taken over as grouped, positions guessed);
    /// the same snapshot with every file's rows shuffled must plan and render byte for byte the same records.
    @Test func rowsInAnyOrderGiveTheSameRecords() throws {
        let w = try Workspace()
        defer { w.remove() }
        let gen = try Binary.run(
            ["--subscribers", "3000", "--seed", "11", "--as-of", "2026-11-30", "--out", w.file("ordered")],
            in: w.path, executable: Binary.generator)
        #expect(gen.status == 0, "\(gen.stderr)")
        try FileManager.default.createDirectory(atPath: w.file("shuffled"), withIntermediateDirectories: true)
        var random = SystemRandomNumberGenerator()
        for name in ["subscribers.csv", "subscriptions.csv", "usage.csv", "points.csv", "vouchers.csv"] {
            var lines = w.read("ordered/" + name).split(separator: "\n", omittingEmptySubsequences: true)
            let header = lines.removeFirst()
            lines.shuffle(using: &random)
            try w.write("shuffled/" + name, ([header] + lines).joined(separator: "\n") + "\n")
        }
        for day in ["2026-11-30", "2026-12-01"] {
            let a = try w.run(["run", "--as-of", day, "--dry-run", "--data", "ordered", "--gateway", "file:ordered-\(day).jsonl"])
            let b = try w.run(["run", "--as-of", day, "--dry-run", "--data", "shuffled", "--gateway", "file:shuffled-\(day).jsonl"])
            #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
            let ordered = w.read("ordered-\(day).jsonl")
            #expect(ordered.split(separator: "\n").count > 1000)
            #expect(w.read("shuffled-\(day).jsonl") == ordered, "\(day)")
        }
    }

    @Test func gb18030PipeExportGivesTheSameRecords() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(
            Self.day + [
                "--data", Binary.fixture("day-2026-11-30-gb18030"), "--gateway", "file:out.jsonl",
                "--encoding", "gb18030", "--delimiter", "|",
            ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(w.read("out.jsonl") == (try String(contentsOfFile: Binary.fixture("day-2026-11-30.expected.jsonl"), encoding: .utf8)))
    }

    @Test func recordsCarryTheContractFields() throws {
        let w = try Workspace()
        defer { w.remove() }
        _ = try w.run(Self.day + ["--data", Binary.fixture("day-2026-11-30"), "--gateway", "file:out.jsonl"])
        let recs = try records(w.read("out.jsonl"))
        #expect(recs.count == 41)
        for r in recs {
            let text = r["text"] as! String
            #expect(text.hasPrefix("【中国移动】"))
            #expect(r["units"] as? Int == text.utf16.count)
            let units = text.utf16.count
            #expect(r["segments"] as? Int == (units <= 70 ? 1 : (units + 66) / 67))
            #expect((r["msisdn"] as! String).count == 11)
            #expect(!(r["keys"] as! [String]).isEmpty)
            #expect((0...5).contains(r["stars"] as! Int))
            #expect(!text.contains("http") && !text.contains("www."))
        }
        let rules = recs.map { $0["rule"] as! String }
        #expect(
            rules
                == rules.sorted {
                    ["trial-expiry": 0, "points-clearing": 1, "month-end-summary": 2][$0]! < [
                        "trial-expiry": 0, "points-clearing": 1, "month-end-summary": 2,
                    ][$1]!
                })
    }

    @Test func pipedDryRunWritesTheRecordsToStandardOutput() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(Self.day + ["--data", Binary.fixture("day-2026-11-30")])
        #expect(r.status == 0)
        #expect(r.stdout == (try String(contentsOfFile: Binary.fixture("day-2026-11-30.expected.jsonl"), encoding: .utf8)))
    }

    @Test func onATerminalTheDryRunIsReadableAndMasked() throws {
        let w = try Workspace()
        defer { w.remove() }
        // script(1) gives smsbatch a terminal as standard output.
        let command = ([Binary.path] + Self.day + ["--data", Binary.fixture("day-2026-11-30"), "--quiet"]).joined(separator: " ")
        let r = try Binary.run(["-qec", command, "/dev/null"], in: w.path, executable: "/usr/bin/script")
        #expect(r.status == 0)
        #expect(r.stdout.contains("138****8000"))
        #expect(r.stdout.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil, "no whole number on a terminal")
        #expect(r.stdout.split(whereSeparator: \.isNewline).count == 41)
    }

    @Test func stdoutGatewayIsReadableAndMasked() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(["run", "--as-of", "2026-11-30", "--now", "2026-11-30T10:00:00+08:00", "--data", Binary.fixture("day-2026-11-30")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("138****8000"))
        #expect(r.stdout.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil, "no whole number on stdout")
        #expect(r.stdout.split(separator: "\n").count == 41)
    }

    @Test func signatureFromConfig() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("c.json", #"{"signature": "", "dnd_rules": []}"#)
        let r = try w.run(Self.day + ["--data", Binary.fixture("day-2026-11-30"), "--gateway", "file:out.jsonl", "--config", "c.json"])
        #expect(r.status == 0, "\(r.stderr)")
        let recs = try records(w.read("out.jsonl"))
        #expect(recs.count > 42, "dnd subscribers get the notices once no rule respects dnd")
        #expect(recs.allSatisfy { !($0["text"] as! String).contains("【") })
    }
}

@Suite(.serialized) struct BadInputTests {
    @Test func badRowsOverToleranceExit65AndListEveryLine() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run([
            "run", "--data", Binary.fixture("bad-rows"), "--as-of", "2026-11-30", "--dry-run",
            "--gateway", "file:out.jsonl",
        ])
        #expect(r.status == 65)
        // subscriptions.csv:4 is a quoted service name over two lines (and a bad status): a line break is a control
        // character (SPEC §1, version 2), found before the fields are parsed, and the row is reported where it starts.
        for place in [
            "subscribers.csv:3: msisdn", "subscribers.csv:4: brand", "subscribers.csv:5: join_date",
            "subscribers.csv:6: avg_monthly_spend", "subscribers.csv:7: suspensions", "subscribers.csv:8: dnd",
            "subscribers.csv:9: msisdn", "subscribers.csv:10: dnd", "subscriptions.csv:2: after_trial",
            "subscriptions.csv:3: after_trial", "subscriptions.csv:4: service_name", "points.csv:3: msisdn, clearing_date",
            "points.csv:4: balance",
        ] {
            #expect(r.stderr.contains(place), "\(place) missing from: \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: w.file("out.jsonl")) || w.read("out.jsonl").isEmpty)
        let rejectLine = try #require(r.stderr.split(separator: "\n").first { $0.contains("rejected rows written to") })
        let rejectPath = String(rejectLine.split(separator: " ").last!)
        #expect(try String(contentsOfFile: rejectPath, encoding: .utf8).split(separator: "\n").count >= 14)
        #expect(r.stderr.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil, "no whole number in errors")
    }

    @Test func withinToleranceTheRunGoesOn() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run([
            "run", "--data", Binary.fixture("bad-rows"), "--as-of", "2026-11-30", "--dry-run",
            "--gateway", "file:out.jsonl", "--max-bad-rows", "13",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("13 bad rows skipped"))
        #expect(try records(w.read("out.jsonl")).contains { $0["msisdn"] as? String == "13800138000" })
    }

    /// A subscribers.csv with a header and no rows (an export that went wrong) stops the run with exit 65 and the file's
    /// name, instead of a quiet night without messages.
    @Test func subscribersWithoutRowsExit65() throws {
        let w = try Workspace()
        defer { w.remove() }
        try FileManager.default.createDirectory(atPath: w.file("day"), withIntermediateDirectories: true)
        try w.write("day/subscribers.csv", "msisdn,brand,status,join_date,avg_monthly_spend,suspensions,dnd\n")
        try w.write("day/subscriptions.csv", "msisdn,service_code,service_name,monthly_fee,status,trial_end,after_trial\n")
        try w.write("day/points.csv", "msisdn,balance,expiring,clearing_date\n")
        let r = try w.run(["run", "--data", "day", "--as-of", "2026-11-30", "--dry-run", "--gateway", "file:out.jsonl"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("day/subscribers.csv: has a header but no rows"), "\(r.stderr)")
    }

    @Test func missingFileAndUsageErrors() throws {
        let w = try Workspace()
        defer { w.remove() }
        let missing = try w.run(["run", "--data", w.path + "/nope", "--as-of", "2026-11-30", "--dry-run"])
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("does not exist"))
        let usage = try w.run(["run", "--data", Binary.fixture("day-2026-11-30"), "--as-of", "2026-11-31", "--dry-run"])
        #expect(usage.status == 2)
        let gateway = try w.run(["run", "--data", Binary.fixture("day-2026-11-30"), "--as-of", "2026-11-30", "--dry-run", "--gateway", "smtp://x"])
        #expect(gateway.status == 2)
    }

    @Test func templateNamingAnUnknownVariableFailsAtLoad() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("templates/points-clearing.mzone.txt", "## note\n你有{{total_point}}积分")
        let r = try w.run(["run", "--data", Binary.fixture("day-2026-11-30"), "--as-of", "2026-11-30", "--dry-run"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("points-clearing.mzone.txt:2:3: unknown variable 'total_point'"))
        #expect(r.stdout.isEmpty)
    }
}
