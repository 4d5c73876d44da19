import Foundation
import Testing

@testable import SMSCore
@testable import SMSSnapshot

#if canImport(Glibc)
    import Glibc
#endif

/// SPEC §1 (version 2): no control character or bidirectional override in any column the SPEC names, and text fields
/// of 1–40 Unicode scalars. Every case is a bad row with its file, line and column, never with its value in the reason.
@Suite struct FieldLimitsTests {
    /// Every code point SPEC §1 forbids: C0 controls, DEL and C1 controls, the bidirectional overrides and isolates.
    static let forbidden: [Unicode.Scalar] =
        (Array(0x00...0x1F) + Array(0x7F...0x9F) + Array(0x202A...0x202E)
        + Array(0x2066...0x2069)).map { Unicode.Scalar(UInt32($0))! }

    /// One good row per file, by column: the values every generated row starts from.
    static let good: [String: [(column: String, value: String)]] = [
        "subscribers.csv": [
            ("msisdn", "13800138000"), ("brand", "gotone"), ("status", "active"), ("join_date", "2020-01-01"),
            ("avg_monthly_spend", "5"), ("suspensions", "0"), ("dnd", "0"), ("city", "广州"),
        ],
        "subscriptions.csv": [
            ("msisdn", "13800138000"), ("service_code", "CAIYIN"), ("service_name", "彩铃"),
            ("monthly_fee", "5"), ("status", "active"), ("trial_end", "2026-12-07"), ("after_trial", "renew"),
        ],
        "usage.csv": [("msisdn", "13800138000"), ("service_code", "CAIYIN"), ("month", "2026-11"), ("charge", "5"), ("uses", "3")],
        "points.csv": [("msisdn", "13800138000"), ("balance", "100"), ("expiring", "50"), ("clearing_date", "2026-12-07")],
    ]

    static let checkedColumns: [(file: String, column: String)] = good.keys.sorted().flatMap { file in
        good[file]!.map { (file, $0.column) }
    }

    /// `value` as a CSV field: quoted (quotes doubled) when it holds a delimiter, quote or line break.
    static func field(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    /// `file`'s good row with `column` replaced by `value`, and an `extra` column the SPEC does not name.
    static func row(_ file: String, _ column: String? = nil, _ value: String = "", extra: String = "x") -> String {
        (good[file]!.map { $0.column == column ? field(value) : field($0.value) } + [field(extra)]).joined(separator: ",")
    }

    static func header(_ file: String) -> String {
        (good[file]!.map(\.column) + ["extra"]).joined(separator: ",")
    }

    /// A snapshot whose files are each a header and one good row, with `rows` appended to `file`; returns the load
    /// and the line each appended row starts on.
    static func load(
        _ file: String, _ rows: [String], encoding: TextEncoding = .utf8,
        transcode: (String) -> [UInt8] = { Array($0.utf8) }
    ) throws -> (LoadedSnapshot, [Int]) {
        var files: [String: String] = [:]
        for name in good.keys { files[name] = header(name) + "\n" + row(name) + "\n" }
        var lines: [Int] = []
        var line = 3
        for r in rows {
            lines.append(line)
            files[file]! += r + "\n"
            line += r.count(where: { $0 == "\n" || $0 == "\r\n" }) + 1
        }
        let folder = try SnapshotFolder(files.mapValues(transcode))
        defer { folder.remove() }
        return (try SnapshotLoader(options: SnapshotOptions(encoding: encoding)).load(directory: folder.path), lines)
    }

    /// `base` with `scalar` put at its start, middle or end (in turn by `index`).
    static func insert(_ scalar: Unicode.Scalar, into base: String, index: Int) -> String {
        var scalars = Array(base.unicodeScalars)
        let at = [0, scalars.count / 2, scalars.count][index % 3]
        scalars.insert(scalar, at: at)
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }

    static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    @Test(arguments: checkedColumns)
    func everyForbiddenCodePointInEveryNamedColumnIsABadRow(_ file: String, _ column: String) throws {
        let base = Self.good[file]!.first { $0.column == column }!.value
        let values = Self.forbidden.enumerated().map { Self.insert($1, into: base, index: $0) }
        let (loaded, lines) = try Self.load(file, values.map { Self.row(file, column, $0) })
        let bad = loaded.report.badRows
        #expect(bad.count == values.count, "\(bad.filter { $0.column != column })")
        #expect(bad.map(\.file) == Array(repeating: file, count: values.count))
        #expect(bad.map(\.line) == lines)
        #expect(bad.map(\.column) == Array(repeating: column, count: values.count))
        for (b, (scalar, value)) in zip(bad, zip(Self.forbidden, values)) {
            #expect(b.reason.contains(Self.hex(scalar)), "\(b.reason)")
            #expect(
                !b.reason.contains(value) && (base.count < 4 || !b.reason.contains(base)),
                "the value stays out of the reason: \(b.reason)")
        }
        // The good row is kept.
        #expect(loaded.snapshot.subscribers.count == 1)
        #expect(loaded.report.rowsRead[file] == values.count + 1)
    }

    /// Another good row of `file`: its primary key differs from the first one's.
    static func other(_ file: String, extra: String = "x") -> String {
        let (column, value) = [
            "subscribers.csv": ("msisdn", "13900139000"), "subscriptions.csv": ("service_code", "OTHER"),
            "usage.csv": ("month", "2026-10"), "points.csv": ("clearing_date", "2026-12-31"),
        ][file]!
        return row(file, column, value, extra: extra)
    }

    @Test func unknownColumnsAreNotChecked() throws {
        for file in Self.good.keys {
            let (loaded, _) = try Self.load(file, [Self.other(file, extra: "a\u{0}b\u{202E}c\nd")])
            #expect(loaded.report.badRows.isEmpty, "\(file): \(loaded.report.badRows)")
        }
    }

    /// Text fields are 1–40 characters, counted as Unicode scalars: an emoji is one, a combining accent another.
    @Test(
        arguments: [
            ("service_name", "", "is empty but required"),
            ("service_name", "彩", nil),
            ("service_name", String(repeating: "彩", count: 40), nil),
            ("service_name", String(repeating: "a", count: 40), nil),
            ("service_name", String(repeating: "😀", count: 40), nil),
            ("service_name", String(repeating: "e\u{301}", count: 20), nil),
            ("service_name", String(repeating: "彩", count: 41), "longer than 40"),
            ("service_name", String(repeating: "a", count: 41), "longer than 40"),
            ("service_name", String(repeating: "😀", count: 41), "longer than 40"),
            ("service_name", String(repeating: "e\u{301}", count: 20) + "x", "longer than 40"),
            ("service_name", "  " + String(repeating: "彩", count: 40) + "  ", nil),
            ("city", "", nil),
            ("city", "广", nil),
            ("city", String(repeating: "广", count: 40), nil),
            ("city", String(repeating: "广", count: 41), "longer than 40"),
            ("city", String(repeating: "👨‍👩‍👧", count: 8), nil),  // 5 scalars each: 40
            ("city", String(repeating: "👨‍👩‍👧", count: 9), "longer than 40"),
        ] as [(String, String, String?)])
    func textFieldsHoldOneToFortyScalars(_ column: String, _ value: String, _ problem: String?) throws {
        let file = column == "city" ? "subscribers.csv" : "subscriptions.csv"
        let number = file == "subscribers.csv" ? "13900139000" : "13800138000"
        let code = "LEN"
        var row = Self.row(file, column, value)
        row = row.replacingOccurrences(of: "13800138000", with: number).replacingOccurrences(of: "CAIYIN", with: code)
        let (loaded, _) = try Self.load(file, [row])
        let bad = loaded.report.badRows
        if let problem {
            #expect(bad.count == 1)
            #expect(bad.first.map { "\($0.file):\($0.line): \($0.column)" } == "\(file):3: \(column)")
            #expect(bad.first?.reason.contains(problem) == true, "\(bad)")
            #expect(bad.first.map { value.isEmpty || !$0.reason.contains(value) } == true)
        } else {
            #expect(bad.isEmpty, "\(bad)")
            let s = loaded.snapshot
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if column == "city" {
                #expect(s.subscribers.last?.city == (trimmed.isEmpty ? nil : trimmed))
            } else {
                #expect(s.subscriptions(at: 0).map(\.serviceName).contains(trimmed))
            }
        }
    }

    /// A 50 MB service name is one bad row, found without building it as a `String`, and the lines after it count on.
    @Test func aHugeServiceNameIsOneBadRow() throws {
        let file = "subscriptions.csv"
        // Bytes, not a `String` of 50 MB: the test itself stays quick in a debug build.
        var bytes = Array((Self.header(file) + "\n" + Self.row(file) + "\n13800138000,HUGE,").utf8)
        let megabyte = Array(String(repeating: "业务名称很长", count: 1_000_000 / 18).utf8)
        for _ in 0..<50 { bytes += megabyte }
        bytes += Array((",5,active,,,x\n" + Self.row(file, "service_code", "NEXT") + "\n").utf8)
        var files = Self.good.keys.reduce(into: [:]) { $0[$1] = Array((Self.header($1) + "\n" + Self.row($1) + "\n").utf8) }
        files[file] = bytes
        let folder = try SnapshotFolder(files)
        defer { folder.remove() }
        let started = ContinuousClock.now
        let loaded = try SnapshotLoader().load(directory: folder.path)
        #expect(ContinuousClock.now - started < .seconds(5))
        let bad = loaded.report.badRows
        #expect(bad.map { "\($0.file):\($0.line): \($0.column)" } == ["subscriptions.csv:3: service_name"])
        #expect(bad.first?.reason.contains("longer than 40") == true)
        #expect(bad.first.map { $0.reason.count < 200 } == true)
        // The reject file keeps the start of the row, cut at a character and marked.
        #expect(bad.first.map { $0.raw.utf8.count <= CSVReader.rawLimit + 3 } == true)
        #expect(bad.first.map { $0.raw.hasPrefix("13800138000,HUGE,业务名称很长") && $0.raw.hasSuffix("…") } == true)
        #expect(bad.first.map { !$0.raw.contains("\u{FFFD}") } == true)
        #expect(loaded.snapshot.subscriptions(at: 0).map(\.serviceCode) == ["CAIYIN", "NEXT"])
    }

    /// A line break in a quoted field keeps the row whole (RFC 4180): one bad row, at the line where it starts, and
    /// the rows after it keep their own line numbers.
    @Test(arguments: ["\n", "\r\n", "\n\n\n", "\r"])
    func aLineBreakInAQuotedFieldIsOneBadRowAtItsFirstLine(_ lineBreak: String) throws {
        let name = "多行" + lineBreak + "名称"
        let (loaded, lines) = try Self.load(
            "subscriptions.csv",
            [
                Self.row("subscriptions.csv", "service_code", "OK1"),
                Self.row("subscriptions.csv", "service_name", name).replacingOccurrences(of: "CAIYIN", with: "ML"),
                Self.row("subscriptions.csv", "service_code", "OK2").replacingOccurrences(of: "5,active", with: "abc,active"),
            ])
        let bad = loaded.report.badRows
        #expect(
            bad.map { "\($0.file):\($0.line): \($0.column)" }
                == ["subscriptions.csv:\(lines[1]): service_name", "subscriptions.csv:\(lines[2]): monthly_fee"])
        #expect(bad.first?.reason.contains(lineBreak.unicodeScalars.first == "\r" ? "U+000D" : "U+000A") == true)
        #expect(loaded.report.rowsRead["subscriptions.csv"] == 4)
        #expect(loaded.snapshot.subscriptions(at: 0).map(\.serviceCode) == ["CAIYIN", "OK1"])
    }

    /// GB18030 files are decoded to UTF-8 before their fields are checked: the same code points are found, at the
    /// same places, and Chinese names of 40 characters pass.
    @Test func gb18030FieldsAreCheckedAfterDecoding() throws {
        let cases: [(column: String, value: String, bad: Bool)] = [
            ("service_name", "彩铃\u{202E}gnp.exe", true),
            ("service_name", "彩铃\u{85}", true),
            ("service_name", "彩\u{0}铃", true),
            ("service_name", "彩铃\u{2066}", true),
            ("service_name", "多行\n名称", true),
            ("service_code", "CAI\u{0}YIN", true),
            ("service_code", "CAI\u{9F}", true),
            ("service_name", String(repeating: "彩", count: 41), true),
            ("service_name", String(repeating: "彩", count: 40), false),
            ("service_name", "咪咕视频·尊享“钻石”会员—包月…", false),
        ]
        var rows: [String] = []
        for (i, c) in cases.enumerated() {
            rows.append(
                Self.row("subscriptions.csv", c.column, c.value)
                    .replacingOccurrences(of: "CAIYIN", with: "G\(i)"))
        }
        let (loaded, lines) = try Self.load("subscriptions.csv", rows, encoding: .gb18030, transcode: gb18030)
        let expected = zip(cases, lines).filter(\.0.bad).map { "subscriptions.csv:\($1): \($0.column)" }
        #expect(loaded.report.badRows.map { "\($0.file):\($0.line): \($0.column)" } == expected)
        let names = loaded.snapshot.subscriptions(at: 0).map(\.serviceName)
        #expect(names == ["彩铃", String(repeating: "彩", count: 40), "咪咕视频·尊享“钻石”会员—包月…"])
    }

    /// The word-at-a-time test finds every suspect byte at every offset of a word and of the tail, and nothing else.
    @Test func theWordAtATimeScanMatchesTheByteScan() {
        for length in [1, 7, 8, 9, 16, 23] {
            for at in 0..<length {
                for byte in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "7"), count: length)
                    bytes[at] = UInt8(byte)
                    let expected = byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2
                    #expect(
                        bytes.withUnsafeBufferPointer { FieldLimits.maySuspect($0.baseAddress!, count: length) } == expected,
                        "byte \(byte) at \(at) of \(length)")
                }
            }
        }
    }

    /// Delimiters that are themselves control characters (a tab-separated export) separate fields; they are not in one.
    @Test func aTabDelimiterIsNoControlCharacterInAField() throws {
        let folder = try SnapshotFolder(text: [
            "subscribers.csv": SnapshotFolder.subscribersHeader.replacingOccurrences(of: ",", with: "\t")
                + "\n13800138000\tgotone\tactive\t2020-01-01\t5\t0\t0\n13900139000\tgotone\tactive\t2020-01-01\t5\t0\t\"0\u{0}\"\n",
            "subscriptions.csv": SnapshotFolder.subscriptionsHeader.replacingOccurrences(of: ",", with: "\t") + "\n",
            "points.csv": SnapshotFolder.pointsHeader.replacingOccurrences(of: ",", with: "\t") + "\n",
        ])
        defer { folder.remove() }
        let loaded = try SnapshotLoader(options: SnapshotOptions(delimiter: 0x09)).load(directory: folder.path)
        #expect(loaded.snapshot.subscribers.map(\.msisdn) == ["13800138000"])
        #expect(loaded.report.badRows.map { "\($0.file):\($0.line): \($0.column)" } == ["subscribers.csv:3: dnd"])
    }
}

/// `text` in GB18030, through iconv.
func gb18030(_ text: String) -> [UInt8] {
    let handle = iconv_open("GB18030", "UTF-8")!
    defer { iconv_close(handle) }
    var source = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: source.count * 2 + 16)
    let produced = source.withUnsafeMutableBufferPointer { src in
        output.withUnsafeMutableBufferPointer { dst in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(src.baseAddress!).assumingMemoryBound(to: CChar.self)
            var inLeft = src.count
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self)
            var outLeft = dst.count
            let r = iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
            precondition(r != -1 && inLeft == 0, "cannot encode in GB18030")
            return dst.count - outLeft
        }
    }
    return Array(output[0..<produced])
}
