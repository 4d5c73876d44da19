import Foundation
import Testing

/// End to end: the voucher rule's day through the binary (SPEC v2 §1, §3.5).
@Suite(.serialized) struct VoucherRunTests {
    static let day = Binary.fixture("vouchers-2026-11-30")

    /// Every code in a vouchers file.
    static func codes(_ file: String) throws -> [String] {
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").dropFirst()
        return lines.map { String($0.split(separator: ",")[4]) }
    }

    @Test func theDryRunMatchesTheGoldenFileTheReferenceAndNeverCarriesACodeWhole() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(["run", "--data", Self.day, "--as-of", "2026-11-30", "--dry-run"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("planned 5 (voucher-expiry 5)") && r.stderr.contains("dnd 1") && r.stderr.contains("orphans 1"), "\(r.stderr)")
        #expect(r.stdout == (try String(contentsOfFile: Binary.fixture("vouchers-2026-11-30.expected.jsonl"), encoding: .utf8)))
        let recs = try records(r.stdout)
        for code in try Self.codes(Self.day + "/vouchers.csv") {
            #expect(!r.stdout.contains(code), "\(code) shown whole")
        }
        // Codes of 8 or more show their last 4; the fixture's code of 4 (AB12) shows nothing.
        #expect(recs.filter { ($0["text"] as! String).contains("尾号") }.count == 4)
        #expect(!recs.contains { ($0["text"] as! String).contains("尾号12") || ($0["text"] as! String).contains("尾号B12") })

        let expected = try referencePlan([Self.day, "2026-11-30"])
        #expect(expected.map { $0["msisdn"] as! String } == recs.map { $0["msisdn"] as! String })
        #expect(expected.map { $0["keys"] as! [String] } == recs.map { $0["keys"] as! [String] })
    }

    @Test func aGB18030PipeExportGivesTheSameMessages() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run([
            "run", "--data", Binary.fixture("vouchers-2026-11-30-gb18030"), "--as-of", "2026-11-30", "--dry-run",
            "--encoding", "gb18030", "--delimiter", "|",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try String(contentsOfFile: Binary.fixture("vouchers-2026-11-30.expected.jsonl"), encoding: .utf8)))
    }

    @Test func badVoucherRowsAreNamedByFileLineAndColumnAndTheRejectFileMasksTheCode() throws {
        let w = try Workspace()
        defer { w.remove() }
        let data = w.file("day")
        try FileManager.default.copyItem(atPath: Self.day, toPath: data)
        let rows = [
            "msisdn,voucher_id,title,value,code,redeem_by,status",
            "13800138000,V1,话费券,50,SECRETCODE01,2026-12-01,issued",
            "13800138000,V:2,话费券,50,SECRETCODE02,2026-12-01,issued",  // 3 voucher_id
            "13800138000,\(String(repeating: "V", count: 33)),话费券,50,SECRETCODE03,2026-12-01,issued",  // 4 voucher_id
            "13800138000,V4,话费券,5.001,SECRETCODE04,2026-12-01,issued",  // 5 value
            "13800138000,V5,话费券,5,SECRETCODE05,2026-02-30,issued",  // 6 redeem_by
            "13800138000,V6,话费券,5,SECRETCODE06,2026-12-01,pending",  // 7 status
            "13800138000,V7,话费券,5,SECRET\u{1}CODE07,2026-12-01,issued",  // 8 code: control character
            "13800138000,V8,话费券,5,\(String(repeating: "S", count: 41)),2026-12-01,issued",  // 9 code: 41 characters
            "13800138000,V1,话费券,5,SECRETCODE10,2026-12-01,issued",  // 10 repeated key
            "13800138000,V9,,5,SECRETCODE11,2026-12-01,issued",  // 11 title empty
            "13700137000,V1,话费券,5,SECRETCODE12,2026-12-01,issued",  // orphan
        ]
        try (rows.joined(separator: "\n") + "\n").write(toFile: data + "/vouchers.csv", atomically: true, encoding: .utf8)
        let stopped = try w.run(["run", "--data", data, "--as-of", "2026-11-30", "--dry-run"])
        #expect(stopped.status == 65, "\(stopped.stderr)")
        for (line, column) in [
            (3, "voucher_id"), (4, "voucher_id"), (5, "value"), (6, "redeem_by"), (7, "status"), (8, "code"),
            (9, "code"), (10, "msisdn, voucher_id"), (11, "title"),
        ] {
            #expect(stopped.stderr.contains("vouchers.csv:\(line): \(column):"), "line \(line) in \(stopped.stderr)")
        }
        #expect(!stopped.stderr.contains("SECRETCODE"), "errors never print a code")

        let tolerated = try w.run(["run", "--data", data, "--as-of", "2026-11-30", "--dry-run", "--max-bad-rows", "20"])
        #expect(tolerated.status == 0, "\(tolerated.stderr)")
        #expect(tolerated.stderr.contains("orphans 1"), "\(tolerated.stderr)")
        #expect(
            try records(tolerated.stdout).first { ($0["msisdn"] as! String) == "13800138000" }?["keys"] as? [String]
                == ["voucher:13800138000:V1:2026-12-01:1"])
        let rejectLine = try #require(tolerated.stderr.split(separator: "\n").first { $0.contains("bad rows skipped") && $0.contains("written to") })
        let rejects = try String(contentsOfFile: String(rejectLine.split(separator: " ").last!), encoding: .utf8)
        #expect(rejects.contains("vouchers.csv,3,voucher_id"))
        #expect(!rejects.contains("SECRETCODE"), "the reject file masks the code: \(rejects)")
    }

    /// A configuration written before vouchers existed lists the old rules in `dnd_rules`: the run says that voucher
    /// notices then reach subscribers with dnd = 1, instead of doing it silently.
    @Test func anOlderDndListThatLeavesVouchersOutIsSaidAloud() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("old.json", #"{"dnd_rules": ["points-clearing", "month-end-summary"]}"#)
        let r = try w.run(["run", "--config", "old.json", "--data", Self.day, "--as-of", "2026-11-30", "--dry-run"])
        #expect(r.status == 0 && r.stderr.contains("dnd_rules leaves out voucher-expiry"), "\(r.stderr)")
        let quiet = try w.run(["run", "--data", Self.day, "--as-of", "2026-11-30", "--dry-run"])
        #expect(!quiet.stderr.contains("dnd_rules"))
    }
}
