import Foundation
import Testing

@testable import SMSCore
@testable import SMSSnapshot

/// Reads `bytes` as a file through the streaming reader: (fields of each good row, its line), and the bad rows.
func readCSV(
    _ bytes: [UInt8], encoding: TextEncoding = .utf8, delimiter: Character = ",", required: [String] = []
)
    throws -> (rows: [[String]], lines: [Int], bad: [BadRow], columns: [String: Int])
{
    let path = NSTemporaryDirectory() + "smsbatch-csv-" + UUID().uuidString + ".csv"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    var reader = try CSVReader(
        path: path, name: "t.csv", encoding: encoding,
        delimiter: UInt8(ascii: delimiter.unicodeScalars.first!), required: required)
    var rows: [[String]] = []
    var lines: [Int] = []
    let bad = reader.forEachRow { row in
        rows.append((0..<row.count).map { String(decoding: row.field($0), as: UTF8.self) })
        lines.append(row.line)
    }
    return (rows, lines, bad, reader.columns)
}

@Suite struct CSVTests {
    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let r = try readCSV(Array("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nplain,,end\n".utf8))
        #expect(r.rows == [["x,1", "say \"hi\"", "two\nlines"], ["plain", "", "end"]])
    }

    @Test func lineNumbersCountPhysicalLines() throws {
        let r = try readCSV(Array("a,b\n\"1\n2\",x\n\n3,y\r\n4,z".utf8))
        #expect(r.lines == [2, 5, 6])
        #expect(r.rows == [["1\n2", "x"], ["3", "y"], ["4", "z"]])
    }

    @Test func recordsAcrossChunkBoundaries() throws {
        var text = "a,b\n"
        for i in 0..<400_000 { text += "\(i),\"v\(i)\"\n" }
        let r = try readCSV(Array(text.utf8))
        #expect(r.rows.count == 400_000)
        #expect(r.rows.last == ["399999", "v399999"])
        #expect(r.lines.last == 400_001)
        #expect(r.bad.isEmpty)
    }

    @Test func byteOrderMarkAndHeaderCaseAndSpaces() throws {
        let r = try readCSV([0xEF, 0xBB, 0xBF] + Array(" MSISDN | Brand \r\n1|2\r\n".utf8), delimiter: "|", required: ["msisdn", "brand"])
        #expect(r.columns == ["msisdn": 0, "brand": 1])
        #expect(r.rows == [["1", "2"]])
    }

    @Test func malformedRowsBecomeBadRows() throws {
        let r = try readCSV(Array("a,b\n\"x\"y,1\n1,2,3\n4\n\"open,5\n".utf8))
        #expect(r.rows.isEmpty)
        #expect(r.bad.map(\.line) == [2, 3, 4, 5])
        #expect(r.bad.map(\.column) == ["a", "(row)", "b", "(row)"])
    }

    @Test func missingColumnIsOneClearError() {
        #expect(throws: SnapshotError.missingColumn(file: "t.csv", column: "dnd")) {
            try readCSV(Array("msisdn\n1\n".utf8), required: ["msisdn", "dnd"])
        }
    }

    @Test func gb18030DecodesAndReportsTheBadField() throws {
        // "msisdn|name\n1|彩铃\n2|<invalid>\n" in GB18030; 彩铃 = B2 CA C1 E5.
        let bytes: [UInt8] = Array("msisdn|name\n1|".utf8) + [0xB2, 0xCA, 0xC1, 0xE5] + Array("\n2|".utf8) + [0x81, 0x20] + Array("\n".utf8)
        let r = try readCSV(bytes, encoding: .gb18030, delimiter: "|")
        #expect(r.rows == [["1", "彩铃"]])
        #expect(r.bad.count == 1)
        #expect(r.bad.first?.line == 3)
        #expect(r.bad.first?.column == "name")
    }

    @Test func gbkTrailBytesEqualToThePipeDoNotSplitFields() throws {
        // 貄 in GBK is D8 7C: its trail byte 0x7C is the pipe.
        let r = try readCSV(Array("a|b\n".utf8) + [0xD8, 0x7C] + Array("|x\n".utf8), encoding: .gb18030, delimiter: "|")
        #expect(r.rows == [["貄", "x"]])
    }
}
