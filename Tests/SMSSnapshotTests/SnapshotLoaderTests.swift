import Foundation
import Testing
@testable import SMSCore
@testable import SMSSnapshot

@Suite struct CSVTests {
    func fields(_ text: String, delimiter: Character = ",") throws -> [[String]] {
        let table = try CSVTable(bytes: Array(text.utf8), name: "t.csv", encoding: .utf8,
                                 delimiter: UInt8(ascii: delimiter.unicodeScalars.first!), required: [])
        return table.rows.map(\.fields)
    }

    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let rows = try fields("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nplain,,end\n")
        #expect(rows == [["x,1", "say \"hi\"", "two\nlines"], ["plain", "", "end"]])
    }

    @Test func lineNumbersCountPhysicalLines() throws {
        let table = try CSVTable(bytes: Array("a,b\n\"1\n2\",x\n\n3,y\r\n4,z".utf8), name: "t.csv", encoding: .utf8,
                                 delimiter: UInt8(ascii: ","), required: [])
        #expect(table.rows.map(\.line) == [2, 5, 6])
        #expect(table.rows.map(\.fields) == [["1\n2", "x"], ["3", "y"], ["4", "z"]])
    }

    @Test func byteOrderMarkAndHeaderCaseAndSpaces() throws {
        let table = try CSVTable(bytes: [0xEF, 0xBB, 0xBF] + Array(" MSISDN | Brand \r\n1|2\r\n".utf8), name: "t.csv",
                                 encoding: .utf8, delimiter: UInt8(ascii: "|"), required: ["msisdn", "brand"])
        #expect(table.columns == ["msisdn": 0, "brand": 1])
        #expect(table.rows.map(\.fields) == [["1", "2"]])
    }

    @Test func malformedRowsBecomeBadRows() throws {
        let table = try CSVTable(bytes: Array("a,b\n\"x\"y,1\n1,2,3\n4\n\"open,5\n".utf8), name: "t.csv", encoding: .utf8,
                                 delimiter: UInt8(ascii: ","), required: [])
        #expect(table.rows.isEmpty)
        #expect(table.bad.map(\.line) == [2, 3, 4, 5])
        #expect(table.bad.map(\.column) == ["a", "(row)", "b", "(row)"])
    }

    @Test func missingColumnIsOneClearError() {
        #expect(throws: SnapshotError.missingColumn(file: "t.csv", column: "dnd")) {
            try CSVTable(bytes: Array("msisdn\n1\n".utf8), name: "t.csv", encoding: .utf8, delimiter: UInt8(ascii: ","), required: ["msisdn", "dnd"])
        }
    }

    @Test func gb18030DecodesAndReportsTheBadField() throws {
        // "msisdn|name\n1|彩铃\n2|<invalid>\n" in GB18030; 彩铃 = B2 CA C1 E5.
        let bytes: [UInt8] = Array("msisdn|name\n1|".utf8) + [0xB2, 0xCA, 0xC1, 0xE5] + Array("\n2|".utf8) + [0x81, 0x20] + Array("\n".utf8)
        let table = try CSVTable(bytes: bytes, name: "t.csv", encoding: .gb18030, delimiter: UInt8(ascii: "|"), required: [])
        #expect(table.rows.map(\.fields) == [["1", "彩铃"]])
        #expect(table.bad.count == 1)
        #expect(table.bad.first?.line == 3)
        #expect(table.bad.first?.column == "name")
    }

    @Test func gbkTrailBytesEqualToThePipeDoNotSplitFields() throws {
        // 貄 in GBK is D8 7C: its trail byte 0x7C is the pipe.
        let bytes: [UInt8] = Array("a|b\n".utf8) + [0xD8, 0x7C] + Array("|x\n".utf8)
        let table = try CSVTable(bytes: bytes, name: "t.csv", encoding: .gb18030, delimiter: UInt8(ascii: "|"), required: [])
        #expect(table.rows.map(\.fields) == [["貄", "x"]])
    }

    @Test func invalidUTF8IsABadRow() throws {
        let table = try CSVTable(bytes: Array("a,b\n1,".utf8) + [0xC0, 0x80] + Array("\n".utf8), name: "t.csv", encoding: .utf8,
                                 delimiter: UInt8(ascii: ","), required: [])
        #expect(table.bad.map(\.column) == ["b"])
    }
}

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
        #expect(s.subscriptions["13800138000"]?.map(\.serviceName) == ["彩铃", "阅读,精选"])
        #expect(s.subscriptions["13800138000"]?[0].afterTrial == .renew)
        #expect(s.points["13800138000"]?.count == 2)
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

    @Test func missingRequiredFile() throws {
        let folder = try SnapshotFolder(text: [:])
        defer { folder.remove() }
        try FileManager.default.removeItem(atPath: folder.path + "/points.csv")
        #expect(throws: SnapshotError.missingFile(folder.path + "/points.csv")) { try SnapshotLoader().load(directory: folder.path) }
        #expect(throws: SnapshotError.missingDirectory("/nonexistent/day")) { try SnapshotLoader().load(directory: "/nonexistent/day") }
    }
}
