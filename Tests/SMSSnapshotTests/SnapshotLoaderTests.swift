import Foundation
import Testing

@testable import SMSCore
@testable import SMSSnapshot

@Suite struct SnapshotLoaderTests {
    @Test func loadsJoinsAndCountsOrphans() throws {
        let folder = try SnapshotFolder(text: [
            "subscribers.csv": "city,dnd,suspensions,avg_monthly_spend,join_date,status,brand,msisdn,extra\n"
                + "广州,0,0,58.5,2020-02-29,active,全球通,+8613800138000,x\n"
                + "深圳,1,2,0,2026-01-01,Suspended,MZONE,15000150000,y\n",
            "subscriptions.csv": SnapshotFolder.subscriptionsHeader + "\n"
                + "13800138000,CAIYIN,彩铃,5,active,2026-12-07,renew\n"
                + "8613800138000,YUEDU,\"阅读,精选\",10.5,cancelled,,\n"
                + "13700137000,CAIYIN,彩铃,5,active,,\n",
            "usage.csv": "msisdn,service_code,month,charge,uses\n13800138000,CAIYIN,2026-11,5,3\n13700137000,CAIYIN,2026-11,5,3\n",
            "points.csv": SnapshotFolder.pointsHeader + "\n13800138000,100,50,2026-12-07\n13800138000,100,20,2026-12-31\n",
        ])
        defer { folder.remove() }
        let loaded = try SnapshotLoader().load(directory: folder.path)
        let s = loaded.snapshot
        #expect(loaded.report.badRows.isEmpty)
        #expect(s.subscribers.map(\.msisdn) == ["13800138000", "15000150000"])
        #expect(s.subscribers[0].brand == .gotone && s.subscribers[1].brand == .mzone)
        #expect(s.subscribers[1].status == .suspended && s.subscribers[1].dnd)
        #expect(s.subscribers[0].city == "广州")
        #expect(s.subscriptions(at: 0).map(\.serviceName) == ["彩铃", "阅读,精选"])
        #expect(s.subscriptions(at: 0).first?.afterTrial == .renew)
        #expect(s.points(at: 0).count == 2)
        #expect(s.subscriptions(at: 1).isEmpty)
        #expect(s.wasUsed(msisdn: "13800138000", serviceCode: "CAIYIN", in: YearMonth("2026-11")!))
        #expect(loaded.report.orphans == ["subscriptions.csv": 1, "usage.csv": 1])
    }

    @Test(arguments: [
        ("subscribers.csv", "1380013800,gotone,active,2020-01-01,5,0,0", "msisdn"),
        ("subscribers.csv", "13800138001,unicom,active,2020-01-01,5,0,0", "brand"),
        ("subscribers.csv", "13800138001,gotone,gone,2020-01-01,5,0,0", "status"),
        ("subscribers.csv", "13800138001,gotone,active,2021-02-29,5,0,0", "join_date"),
        ("subscribers.csv", "13800138001,gotone,active,2020-01-01,-5,0,0", "avg_monthly_spend"),
        ("subscribers.csv", "13800138001,gotone,active,2020-01-01,5.001,0,0", "avg_monthly_spend"),
        ("subscribers.csv", "13800138001,gotone,active,2020-01-01,5,1.5,0", "suspensions"),
        ("subscribers.csv", "13800138001,gotone,active,2020-01-01,5,0,yes", "dnd"),
        ("subscribers.csv", "13800138000,gotone,active,2020-01-01,5,0,0", "msisdn"),
        ("subscriptions.csv", "13800138000,,彩铃,5,active,,", "service_code"),
        ("subscriptions.csv", "13800138000,X,,5,active,,", "service_name"),
        ("subscriptions.csv", "13800138000,X,彩铃,abc,active,,", "monthly_fee"),
        ("subscriptions.csv", "13800138000,X,彩铃,5,paused,,", "status"),
        ("subscriptions.csv", "13800138000,X,彩铃,5,active,2026-13-01,renew", "trial_end"),
        ("subscriptions.csv", "13800138000,X,彩铃,5,active,2026-12-01,", "after_trial"),
        ("subscriptions.csv", "13800138000,X,彩铃,5,active,2026-12-01,keep", "after_trial"),
        ("subscriptions.csv", "13800138000,X,彩铃,5,active,,renew", "after_trial"),
        ("subscriptions.csv", "13800138000,A,彩铃,5,active,,", "msisdn, service_code"),
        ("usage.csv", "13800138000,A,2026-13,5,1", "month"),
        ("usage.csv", "13800138000,A,2026-11,5,-1", "uses"),
        ("usage.csv", "13800138000,A,2026-11,x,1", "charge"),
        ("points.csv", "13800138000,100,-1,2026-12-07", "expiring"),
        ("points.csv", "13800138000,x,1,2026-12-07", "balance"),
        ("points.csv", "13800138000,100,1,20261207", "clearing_date"),
        ("points.csv", "13800138000,100,1,2026-12-31", "msisdn, clearing_date"),
    ])
    func eachBadRowKindNamesFileLineAndColumn(_ file: String, _ row: String, _ column: String) throws {
        var files = [
            "subscribers.csv": SnapshotFolder.subscribersHeader + "\n13800138000,gotone,active,2020-01-01,5,0,0\n",
            "subscriptions.csv": SnapshotFolder.subscriptionsHeader + "\n13800138000,A,彩铃,5,active,,\n",
            "usage.csv": "msisdn,service_code,month,charge,uses\n",
            "points.csv": SnapshotFolder.pointsHeader + "\n13800138000,100,1,2026-12-31\n",
        ]
        files[file]! += row + "\n"
        let folder = try SnapshotFolder(text: files)
        defer { folder.remove() }
        let bad = try SnapshotLoader().load(directory: folder.path).report.badRows
        #expect(bad.count == 1)
        let expectedLine = file == "usage.csv" ? 2 : 3
        #expect(bad.first?.description.hasPrefix("\(file):\(expectedLine): \(column): ") == true)
        // Values stay out of the reason.
        #expect(bad.first.map { !$0.reason.contains("1380013800") } == true)
    }

    /// Repeated keys are found wherever the repeat stands: next to the first row or far from it, for a subscriber
    /// with a handful of rows or with dozens (past the walk's limit), and among orphans. The first row wins; the
    /// repeat is a bad row with its own line and text.
    @Test func repeatedKeysAreBadRowsWhereverTheyStand() throws {
        var subscriptions = SnapshotFolder.subscriptionsHeader + "\n"
        for i in 0..<40 { subscriptions += "13800138000,S\(i),业务\(i),1,active,,\n" }  // lines 2–41
        subscriptions += "13900139000,S1,业务,1,active,,\n"  // line 42
        subscriptions += "13800138000,S39,业务,1,active,,\n"  // line 43: repeat (long chain)
        subscriptions += "13900139000,S1,业务,1,active,,\n"  // line 44: repeat
        subscriptions += "13700137000,S1,业务,1,active,,\n"  // line 45: orphan
        subscriptions += "13700137000,S1,业务,1,active,,\n"  // line 46: orphan repeat
        var usage = "msisdn,service_code,month,charge,uses\n"
        usage += "13900139000,S1,2026-11,1,0\n"  // line 2: not used
        for i in 0..<40 { usage += "13800138000,S\(i),2026-11,1,\(i % 2)\n" }  // lines 3–42
        usage += "13900139000,S1,2026-11,1,5\n"  // line 43: repeat
        usage += "13800138000,S0,2026-11,1,7\n"  // line 44: repeat (long chain)
        usage += "13700137000,S1,2026-11,1,1\n13700137000,S1,2026-11,1,1\n"  // lines 45, 46: orphan, repeat
        usage += "13900139000,S1,2026-10,1,2\n"  // line 47: another month
        let folder = try SnapshotFolder(text: [
            "subscribers.csv": SnapshotFolder.subscribersHeader + "\n13800138000,gotone,active,2020-01-01,5,0,0\n"
                + "13900139000,mzone,active,2020-01-01,5,0,0\n",
            "subscriptions.csv": subscriptions,
            "usage.csv": usage,
            "points.csv": SnapshotFolder.pointsHeader + "\n",
        ])
        defer { folder.remove() }
        let loaded = try SnapshotLoader().load(directory: folder.path)
        let bad = loaded.report.badRows.map { "\($0.file):\($0.line):\($0.column)" }
        #expect(
            bad == [
                "subscriptions.csv:43:msisdn, service_code", "subscriptions.csv:44:msisdn, service_code",
                "subscriptions.csv:46:msisdn, service_code",
                "usage.csv:43:msisdn, service_code, month", "usage.csv:44:msisdn, service_code, month",
                "usage.csv:46:msisdn, service_code, month",
            ])
        #expect(loaded.report.badRows.first { $0.file == "usage.csv" }?.raw == "13900139000,S1,2026-11,1,5")
        #expect(loaded.report.orphans == ["subscriptions.csv": 1, "usage.csv": 1])
        let s = loaded.snapshot
        #expect(s.subscriptions(at: 0).count == 40 && s.subscriptions(at: 1).count == 1)
        let november = YearMonth("2026-11")!
        #expect(!s.wasUsed(msisdn: "13900139000", serviceCode: "S1", in: november), "the first row (no use) wins")
        #expect(s.wasUsed(msisdn: "13900139000", serviceCode: "S1", in: YearMonth("2026-10")!))
        #expect(!s.wasUsed(msisdn: "13800138000", serviceCode: "S0", in: november), "the first row (no use) wins")
        #expect(s.wasUsed(msisdn: "13800138000", serviceCode: "S1", in: november))
        #expect(!s.wasUsed(msisdn: "13700137000", serviceCode: "S1", in: november), "orphans are no subscriber's")
    }

    /// Two spellings of a code that `String` holds equal (composed and decomposed é) are two codes in an export, as
    /// in SQL: a use of one is not a use of the other.
    @Test func canonicallyEqualServiceCodesInUsage() throws {
        let folder = try SnapshotFolder(text: [
            "subscribers.csv": SnapshotFolder.subscribersHeader + "\n13800138000,gotone,active,2020-01-01,5,0,0\n",
            "subscriptions.csv": SnapshotFolder.subscriptionsHeader + "\n13800138000,CAF\u{C9},咖啡,5,active,,\n",
            "usage.csv": "msisdn,service_code,month,charge,uses\n13800138000,CAF\u{C9},2026-10,5,0\n"
                + "13800138000,CAFE\u{301},2026-11,5,2\n",
            "points.csv": SnapshotFolder.pointsHeader + "\n",
        ])
        defer { folder.remove() }
        let s = try SnapshotLoader().load(directory: folder.path).snapshot
        #expect(!s.wasUsed(msisdn: "13800138000", serviceCode: "CAF\u{C9}", in: YearMonth("2026-11")!))
        #expect(!s.wasUsed(msisdn: "13800138000", serviceCode: "CAF\u{C9}", in: YearMonth("2026-10")!))
        #expect(s.wasUsed(msisdn: "13800138000", serviceCode: "CAFE\u{301}", in: YearMonth("2026-11")!))
    }

    /// A day without subscribers is an export that went wrong, not a quiet night: an input error naming the file.
    @Test(arguments: ["", "\u{FEFF}", SnapshotFolder.subscribersHeader + "\n", SnapshotFolder.subscribersHeader + "\r\n\r\n  \n"])
    func subscribersWithoutRowsAreAnInputError(_ text: String) throws {
        let folder = try SnapshotFolder(text: ["subscribers.csv": text])
        defer { folder.remove() }
        let path = folder.path + "/subscribers.csv"
        let expected: SnapshotError = text.count > 1 ? .noRows(path) : .emptyFile(path)
        #expect(throws: expected) { try SnapshotLoader().load(directory: folder.path) }
        #expect(expected.description.hasPrefix(path + ": "))
    }

    @Test func missingRequiredFile() throws {
        let folder = try SnapshotFolder(text: ["subscribers.csv": SnapshotFolder.subscribersHeader + "\n13800138000,gotone,active,2020-01-01,5,0,0\n"]
        )
        defer { folder.remove() }
        try FileManager.default.removeItem(atPath: folder.path + "/points.csv")
        #expect(throws: SnapshotError.missingFile(folder.path + "/points.csv")) { try SnapshotLoader().load(directory: folder.path) }
        #expect(throws: SnapshotError.missingDirectory("/nonexistent/day")) { try SnapshotLoader().load(directory: "/nonexistent/day") }
    }
}
