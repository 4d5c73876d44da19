import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// End to end: the CMPP gateway against a loopback ISMG simulator (`scripts/cmpp-sim.py`) that injects faults and
/// checks the protocol.
@Suite(.serialized) struct CMPPGatewayTests {
    static let fixture = Binary.fixture("day-2026-11-30")
    static let day = ["--as-of", "2026-11-30", "--data", Binary.fixture("day-2026-11-30")]
    static let morning = "2026-11-30T10:00:00+08:00"

    static func ledgers() -> [String?] {
        ExternalPart.postgres.runs ? [nil, "postgres"] : [nil]
    }

    /// The dry run's messages: id → (msisdn, text, segments).
    func planned(_ w: Workspace) throws -> [String: (msisdn: String, text: String, segments: Int)] {
        let r = try w.run(["run", "--dry-run", "--gateway", "file:dry.jsonl"] + Self.day)
        #expect(r.status == 0, "\(r.stderr)")
        return Dictionary(
            uniqueKeysWithValues: try records(w.read("dry.jsonl")).map {
                ($0["id"] as! String, ($0["msisdn"] as! String, $0["text"] as! String, $0["segments"] as! Int))
            })
    }

    func status(_ w: Workspace, _ ledger: [String]) throws -> [String: Any] {
        let r = try w.run(["status", "--format", "json"] + ledger)
        #expect(r.status == 0, "\(r.stderr)")
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    @Test(arguments: ledgers())
    func aFaultyCentreGetsEveryMessageWholeOnceAndItsReportsReachTheLedger(_ kind: String?) throws {
        let w = try Workspace()
        let db = kind == nil ? nil : try PostgresDatabase()
        defer { w.remove(); db?.drop() }
        let ledger = db.map { ["--ledger", $0.url] } ?? []
        let plan = try planned(w)
        let sim = try CMPPSimulator(
            arguments: [
                "--flow-control", "0.1", "--reject", "8003", "--undeliverable", "0000",
                "--drop-after", "15", "--shuffle", "4", "--mo", "3", "--active-test", "0.3",
                "--seed", "5",
            ], recordPath: w.file("sim.json"))
        defer { sim.stop() }
        let url = sim.url("window=16&report_wait=5&active_test=0.2")
        let run = try w.run(["run", "--now", Self.morning, "--gateway", url] + Self.day + ledger, environment: CMPPSimulator.environment)
        #expect(run.status == 0, "\(run.stderr)")
        // Reports the centre kept (pushed again after the next login) are collected by a send with nothing to send.
        let send = try w.run(["send", "--now", "2026-11-30T10:30:00+08:00", "--gateway", url] + ledger, environment: CMPPSimulator.environment)
        #expect(send.status == 0, "\(send.stderr)")
        let rec = sim.record { CMPPSimulator.int($0, "terminates") >= 2 }
        #expect(rec["violations"] as? [String] == [], "\(rec["violations"] ?? "")")
        #expect(CMPPSimulator.int(rec, "drops") == 1 && CMPPSimulator.int(rec, "flow_controlled") > 0)
        #expect(CMPPSimulator.int(rec, "max_outstanding") <= 16)

        let rejected = plan.filter { $0.value.msisdn.hasSuffix("8003") }
        let sendable = plan.filter { !$0.value.msisdn.hasSuffix("8003") }
        #expect(!rejected.isEmpty && sendable.count > 20)
        let got = CMPPSimulator.messages(rec)
        for (_, m) in sendable {
            let match = got.filter { $0["dest"] as? String == m.msisdn && $0["text"] as? String == m.text }
            #expect(match.count == 1, "reassembled with the dry run's text: \(m.text)")
            #expect(match.first?["segments"] as? Int == m.segments)
        }
        #expect(got.count == sendable.count, "nothing else reached the centre")
        let extraCopies = got.map { ($0["copies"] as? Int ?? 1) - 1 }.reduce(0, +)
        #expect(extraCopies <= 16 && CMPPSimulator.int(rec, "duplicate_submits") <= 16, "a drop duplicates at most the window")
        // Each rejected message was tried once: at most one SUBMIT per segment, plus those the drop left unanswered
        // (at most the window, sent again because no answer came back; a rejection that did come is never retried),
        // and the send after it tried nothing.
        let rejectedSubmits = (rec["rejected"] as? [String] ?? []).count
        #expect(rejectedSubmits >= rejected.count && rejectedSubmits <= rejected.values.map(\.segments).reduce(0, +) + 16)
        #expect(CMPPSimulator.int(rec, "mo_acked") == 3)
        #expect(CMPPSimulator.int(rec, "active_tests_answered") >= 1)

        let s = try status(w, ledger)
        let undeliverable = sendable.values.filter { $0.msisdn.hasSuffix("0000") }.count
        #expect(undeliverable > 0)
        #expect(s["undelivered"] as? Int == undeliverable, "\(s)")
        #expect(s["delivered"] as? Int == sendable.count - undeliverable, "\(s)")
        let totals = s["totals"] as? [String: Int] ?? [:]
        #expect(totals["sent"] == sendable.count && totals["rejected"] == rejected.count && totals["queued"] == 0)
        // Every report the centre sent was answered, once the reports were in.
        #expect(CMPPSimulator.int(rec, "reports_sent") >= (rec["reports"] as? [Any])?.count ?? 0)
        let all = run.stdout + run.stderr + send.stdout + send.stderr
        #expect(all.contains("status reports kept") && all.contains("mobile-originated messages answered"))
        #expect(!all.contains(CMPPSimulator.secret))
        #expect(all.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil, "numbers are masked")
    }

    @Test func lateReportsAreCollectedBySendAfterTheNextLogin() throws {
        let w = try Workspace()
        defer { w.remove() }
        let sim = try CMPPSimulator(arguments: ["--late-reports", "--undeliverable", "0000"], recordPath: w.file("sim.json"))
        defer { sim.stop() }
        let url = sim.url("report_wait=0.3")
        let run = try w.run(["run", "--now", Self.morning, "--gateway", url] + Self.day, environment: CMPPSimulator.environment)
        #expect(run.status == 0, "\(run.stderr)")
        let before = try status(w, [])
        #expect(before["delivered"] as? Int == 0 && before["undelivered"] as? Int == 0, "no report came during the run")
        let send = try w.run(
            ["send", "--now", "2026-11-30T10:30:00+08:00", "--gateway", sim.url("report_wait=5")],
            environment: CMPPSimulator.environment)
        #expect(send.status == 0, "\(send.stderr)")
        let after = try status(w, [])
        let sent = (after["totals"] as? [String: Int])?["sent"] ?? -1
        #expect(sent == 41)
        let delivered = after["delivered"] as? Int ?? -1, undelivered = after["undelivered"] as? Int ?? -1
        #expect(delivered + undelivered == sent && undelivered > 0, "\(after)")
        let rec = sim.record { CMPPSimulator.int($0, "terminates") >= 2 }
        #expect(rec["violations"] as? [String] == [])
        #expect(
            CMPPSimulator.int(rec, "submits") == CMPPSimulator.messages(rec).map { $0["segments"] as? Int ?? 0 }.reduce(0, +),
            "the send sent nothing again")
    }

    /// A bad Service_Id (Result 7) is this gateway's settings, not the numbers: nothing is rejected, the run stops (69)
    /// with one line saying so, and every message waits for a corrected run.
    @Test func aBadServiceIdStopsTheRunWithNothingRejected() throws {
        let w = try Workspace()
        defer { w.remove() }
        let sim = try CMPPSimulator(arguments: ["--reject", ":7"], recordPath: w.file("sim.json"))
        defer { sim.stop() }
        let r = try w.run(["run", "--now", Self.morning, "--gateway", sim.url()] + Self.day, environment: CMPPSimulator.environment)
        #expect(r.status == 69, "\(r.stderr)")
        #expect(r.stderr.contains("Result 7") && r.stderr.contains("set up wrong"), "\(r.stderr)")
        let s = try status(w, [])
        #expect((s["totals"] as? [String: Int])?["rejected"] ?? 0 == 0 && s["waiting"] as? Int == 41, "\(s)")
    }

    @Test func aWrongSecretIsRefusedCleanlyAndNothingIsMarkedSent() throws {
        let w = try Workspace()
        defer { w.remove() }
        let sim = try CMPPSimulator(arguments: [], recordPath: w.file("sim.json"))
        defer { sim.stop() }
        let r = try w.run(
            ["run", "--now", Self.morning, "--gateway", sim.url()] + Self.day,
            environment: ["SMSBATCH_CMPP_SECRET": "not-the-secret"])
        #expect(r.status == 78, "\(r.stderr)")
        let refusals = r.stderr.split(separator: "\n").filter { $0.contains("refused the login") }
        #expect(refusals.count == 1 && refusals[0].contains("authenticator"), "\(r.stderr)")
        #expect(!r.stderr.contains("not-the-secret"))
        let s = try status(w, [])
        #expect((s["totals"] as? [String: Int])?["sent"] == 0 && s["waiting"] as? Int == 41, "\(s)")
        let rec = sim.record { CMPPSimulator.int($0, "login_refused") >= 1 }
        #expect(CMPPSimulator.int(rec, "login_refused") == 1 && CMPPSimulator.int(rec, "submits") == 0)
        // No secret at all is a configuration error too; `config` shows the URL, which never holds one.
        let missing = try w.run(["send", "--now", Self.morning, "--gateway", sim.url()], environment: ["SMSBATCH_CMPP_SECRET": ""])
        #expect(missing.status == 78 && missing.stderr.contains("SMSBATCH_CMPP_SECRET"), "\(missing.stderr)")
        let inURL = try w.run(
            ["send", "--now", Self.morning, "--gateway", "cmpp://901234:hunter2@127.0.0.1:\(sim.port)?service_id=SVC&src_id=1"],
            environment: CMPPSimulator.environment)
        #expect(inURL.status == 78 && !inURL.stderr.contains("hunter2"), "\(inURL.stderr)")
        let config = try w.run(["config", "--gateway", sim.url()], environment: CMPPSimulator.environment)
        #expect(!config.stdout.contains(CMPPSimulator.secret) && config.stdout.contains("cmpp://"))
    }

    @Test func aCentreThatCannotBeReachedExits69AndKeepsEverythingQueued() throws {
        let w = try Workspace()
        defer { w.remove() }
        let port = try Self.closedPort()
        let r = try w.run(
            [
                "run", "--now", Self.morning, "--gateway",
                "cmpp://901234@127.0.0.1:\(port)?service_id=SVC&src_id=10658888&connect_timeout=0.5",
            ] + Self.day,
            environment: CMPPSimulator.environment)
        #expect(r.status == 69, "\(r.stderr)")
        #expect(r.stderr.contains("cannot connect"))
        let s = try status(w, [])
        #expect((s["totals"] as? [String: Int])?["sent"] == 0 && s["waiting"] as? Int == 41, "\(s)")
    }

    @Test func cmpp30SpeaksItsOwnLayouts() throws {
        let w = try Workspace()
        defer { w.remove() }
        let plan = try planned(w)
        let sim = try CMPPSimulator(arguments: ["--undeliverable", "0000", "--shuffle", "3"], recordPath: w.file("sim.json"))
        defer { sim.stop() }
        let r = try w.run(
            ["run", "--now", Self.morning, "--gateway", sim.url("version=3.0&window=4")] + Self.day,
            environment: CMPPSimulator.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let rec = sim.record { CMPPSimulator.int($0, "terminates") >= 1 }
        #expect(rec["violations"] as? [String] == [], "\(rec["violations"] ?? "")")
        #expect(CMPPSimulator.int(rec, "max_outstanding") <= 4)
        let got = CMPPSimulator.messages(rec)
        #expect(
            Set(got.map { "\($0["dest"] as? String ?? "") \($0["text"] as? String ?? "")" }) == Set(plan.values.map { "\($0.msisdn) \($0.text)" }))
        let s = try status(w, [])
        #expect((s["delivered"] as? Int ?? 0) + (s["undelivered"] as? Int ?? 0) == plan.count, "\(s)")
    }

    /// A ledger of the schema before segments (SQLite 4, PostgreSQL 3) is upgraded by the next run and keeps reports.
    @Test(arguments: ledgers())
    func anOlderLedgerIsUpgradedForSegments(_ kind: String?) throws {
        let w = try Workspace()
        let db = kind == nil ? nil : try PostgresDatabase()
        defer { w.remove(); db?.drop() }
        let ledger = db.map { ["--ledger", $0.url] } ?? []
        let first = try w.run(["run", "--now", "2026-11-30T03:00:00+08:00"] + Self.day + ledger)
        #expect(first.status == 0, "\(first.stderr)")
        if let db {
            _ = try db.query("DROP TABLE smsbatch.segments; UPDATE smsbatch.meta SET value = '3' WHERE name = 'schema_version'")
        } else {
            try Self.sqlite(w.file("smsbatch-ledger.sqlite"), "DROP TABLE segments; UPDATE meta SET value = '4' WHERE name = 'schema_version';")
        }
        let sim = try CMPPSimulator(arguments: [], recordPath: w.file("sim.json"))
        defer { sim.stop() }
        let send = try w.run(["send", "--now", Self.morning, "--gateway", sim.url()] + ledger, environment: CMPPSimulator.environment)
        #expect(send.status == 0, "\(send.stderr)")
        let s = try status(w, ledger)
        #expect(s["delivered"] as? Int == 41, "\(s)")
        if let db {
            #expect(try db.query("SELECT value FROM smsbatch.meta WHERE name = 'schema_version'") == ["4"])
        } else {
            #expect(try Self.sqlite(w.file("smsbatch-ledger.sqlite"), "SELECT value FROM meta WHERE name = 'schema_version';") == "5")
        }
    }

    @discardableResult
    static func sqlite(_ path: String, _ sql: String) throws -> String {
        try toolOutput(["sqlite3", path, sql]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A loopback port nothing listens on.
    static func closedPort() throws -> Int {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(s) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// SPEC §5 over CMPP: a signal settles what is in flight (the centre answers every SUBMIT before the TERMINATE);
/// a kill -9 re-sends at most the window.
@Suite(.serialized) struct CMPPStopTests {
    static let day = ["--as-of", "2026-11-30", "--data", Binary.fixture("day-2026-11-30"), "--now", "2026-11-30T10:00:00+08:00"]

    @Test func aSignalMidRunSettlesWhatIsInFlightTerminatesAndExits143() throws {
        let w = try Workspace()
        defer { w.remove() }
        let sim = try CMPPSimulator(arguments: ["--resp-delay", "0.3", "--window", "4"], recordPath: w.file("sim.json"))
        defer { sim.stop() }
        let (process, _, err) = try Binary.start(
            ["run", "--gateway", sim.url("window=4&report_wait=1")] + Self.day, in: w.path,
            environment: CMPPSimulator.environment)
        _ = sim.record { CMPPSimulator.int($0, "submits") >= 8 }
        let signalled = Date()
        kill(process.processIdentifier, SIGTERM)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(signalled) < 8, "settles within a few seconds")
        #expect(process.terminationStatus == 143, "\(stderr)")
        #expect(stderr.split(separator: "\n").filter { $0.contains("stopped by") }.count == 1, "\(stderr)")
        let first = sim.record { CMPPSimulator.int($0, "terminates") >= 1 }
        #expect(first["violations"] as? [String] == [], "every SUBMIT was answered before the TERMINATE: \(first["violations"] ?? "")")
        let submitted = CMPPSimulator.int(first, "submits")
        #expect(submitted > 0 && submitted < 55, "stopped part way")
        let send = try w.run(
            ["send", "--now", "2026-11-30T10:05:00+08:00", "--gateway", sim.url("window=16")],
            environment: CMPPSimulator.environment)
        #expect(send.status == 0, "\(send.stderr)")
        let rec = sim.record { CMPPSimulator.int($0, "terminates") >= 2 }
        let messages = CMPPSimulator.messages(rec)
        #expect(messages.count == 41 && messages.allSatisfy { $0["copies"] as? Int == 1 }, "each message once, none twice")
        #expect(CMPPSimulator.int(rec, "duplicate_submits") == 0)
    }

    @Test func aKillMidRunResendsAtMostTheWindow() throws {
        let w = try Workspace()
        defer { w.remove() }
        let sim = try CMPPSimulator(arguments: ["--resp-delay", "0.2", "--window", "4"], recordPath: w.file("sim.json"))
        defer { sim.stop() }
        let (process, _, _) = try Binary.start(
            ["run", "--gateway", sim.url("window=4")] + Self.day, in: w.path,
            environment: CMPPSimulator.environment)
        _ = sim.record { CMPPSimulator.int($0, "submits") >= 12 }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let send = try w.run(
            ["send", "--now", "2026-11-30T10:05:00+08:00", "--gateway", sim.url("window=4")],
            environment: CMPPSimulator.environment)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stderr.contains("sending them again"), "\(send.stderr)")
        let rec = sim.record { CMPPSimulator.int($0, "terminates") >= 1 }
        let messages = CMPPSimulator.messages(rec)
        #expect(Set(messages.map { "\($0["dest"] ?? "") \($0["text"] ?? "")" }).count == 41)
        // At most the window's messages go again, whole: their segments accepted before the kill come a second time.
        let again = messages.filter { ($0["copies"] as? Int ?? 1) > 1 }
        let segmentsAgain = again.map { $0["segments"] as? Int ?? 1 }.reduce(0, +)
        #expect(again.count <= 4 && CMPPSimulator.int(rec, "duplicate_submits") <= segmentsAgain + 4, "at most the window went twice")
    }
}
