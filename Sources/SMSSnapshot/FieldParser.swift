import SMSCore

#if canImport(Glibc)
    import Glibc
#endif

/// Typed values from one row's UTF-8 field bytes; a value that breaks its rule throws a ``Problem`` naming the column.
struct FieldParser {
    struct Problem: Error {
        var column: String
        var reason: String
    }

    /// A column found once per file: its name (for messages) and index (nil when the file lacks it).
    struct Column {
        let name: String
        let index: Int?
        init(_ name: String, in columns: [String: Int]) {
            self.name = name
            index = columns[name]
        }
    }

    let row: CSVReader.View

    /// A field's bytes, valid while this row is being parsed.
    func bytes(_ column: Column) -> UnsafeBufferPointer<UInt8> {
        guard let i = column.index else { return UnsafeBufferPointer(start: nil, count: 0) }
        return row.field(i)
    }

    func required(_ column: Column) throws(Problem) -> UnsafeBufferPointer<UInt8> {
        let b = bytes(column)
        guard !b.isEmpty else { throw Problem(column: column.name, reason: "is empty but required") }
        return b
    }

    /// Text, interned; invalid UTF-8 is a problem.
    func text(_ column: Column, _ interner: inout Interner) throws(Problem) -> String {
        guard let s = interner.string(try required(column))?.string else {
            throw Problem(column: column.name, reason: "bytes that are not valid UTF-8 (is the file GB18030? use --encoding gb18030)")
        }
        return s
    }

    func optionalText(_ column: Column, _ interner: inout Interner) throws(Problem) -> String? {
        guard !bytes(column).isEmpty else { return nil }
        return try text(column, &interner)
    }

    /// The normalised number and its integer value.
    func msisdn(_ column: Column) throws(Problem) -> (String, UInt64) {
        let (b, n) = try msisdnDigits(column)
        return (String(decoding: b, as: UTF8.self), n)
    }

    /// The number as an integer only (rows that keep no text of it, such as usage rows).
    func msisdnNumber(_ column: Column) throws(Problem) -> UInt64 {
        try msisdnDigits(column).1
    }

    /// The 11 digits (after a `+86`/`86` prefix) and their value; a problem unless they read `1[3-9]` and 9 digits.
    private func msisdnDigits(_ column: Column) throws(Problem) -> (UnsafeBufferPointer<UInt8>, UInt64) {
        var b = try required(column)
        if b.count == 14, b[b.startIndex] == 0x2B, b[b.startIndex + 1] == 0x38, b[b.startIndex + 2] == 0x36 {
            b = UnsafeBufferPointer(rebasing: b.dropFirst(3))
        } else if b.count == 13, b[b.startIndex] == 0x38, b[b.startIndex + 1] == 0x36 {
            b = UnsafeBufferPointer(rebasing: b.dropFirst(2))
        }
        var n: UInt64 = 0
        var ok = b.count == 11
        if ok {
            for (i, c) in b.enumerated() {
                guard c >= 48, c <= 57, i != 0 || c == 0x31, i != 1 || c >= 0x33 else { ok = false; break }
                n = n * 10 + UInt64(c - 48)
            }
        }
        guard ok else {
            throw Problem(column: "msisdn", reason: "is not a mainland mobile number (11 digits 1[3-9]…, optional +86)")
        }
        return (b, n)
    }

    func date(_ column: Column) throws(Problem) -> CalendarDate {
        let b = try required(column)
        guard b.count == 10, b[b.startIndex + 4] == 0x2D, b[b.startIndex + 7] == 0x2D,
            let y = FieldParser.digits(b.prefix(4)), let m = FieldParser.digits(b.dropFirst(5).prefix(2)),
            let d = FieldParser.digits(b.suffix(2)), let date = CalendarDate(year: y, month: m, day: d)
        else {
            throw Problem(column: column.name, reason: "is not a real date in the form YYYY-MM-DD")
        }
        return date
    }

    func optionalDate(_ column: Column) throws(Problem) -> CalendarDate? {
        bytes(column).isEmpty ? nil : try date(column)
    }

    func month(_ column: Column) throws(Problem) -> YearMonth {
        let b = try required(column)
        guard b.count == 7, b[b.startIndex + 4] == 0x2D, let y = FieldParser.digits(b.prefix(4)),
            let m = FieldParser.digits(b.suffix(2)), let month = YearMonth(year: y, month: m)
        else {
            throw Problem(column: column.name, reason: "is not a month in the form YYYY-MM")
        }
        return month
    }

    func money(_ column: Column) throws(Problem) -> Money {
        var fen = 0, digits = 0, decimals = -1
        for c in try required(column) {
            if c == 0x2E {
                guard decimals < 0, digits > 0 else { throw moneyProblem(column) }
                decimals = 0
            } else if c >= 48, c <= 57 {
                if decimals >= 0 {
                    decimals += 1
                    guard decimals <= 2 else { throw moneyProblem(column) }
                } else {
                    digits += 1
                    guard digits <= 12 else { throw moneyProblem(column) }
                }
                fen = fen * 10 + Int(c - 48)
            } else {
                throw moneyProblem(column)
            }
        }
        guard decimals != 0 else { throw moneyProblem(column) }
        for _ in 0..<(2 - max(decimals, 0)) { fen *= 10 }
        return Money(fen: fen)
    }

    private func moneyProblem(_ column: Column) -> Problem {
        Problem(column: column.name, reason: "is not an amount in yuan ≥ 0 with at most two decimals")
    }

    func count(_ column: Column) throws(Problem) -> Int {
        let b = try required(column)
        guard b.count <= 15, let n = FieldParser.digits(b) else {
            throw Problem(column: column.name, reason: "is not a whole number ≥ 0")
        }
        return n
    }

    func flag(_ column: Column) throws(Problem) -> Bool {
        let b = try required(column)
        guard b.count == 1, b.first == 0x30 || b.first == 0x31 else { throw Problem(column: column.name, reason: "must be 0 or 1") }
        return b.first == 0x31
    }

    /// One of `choices` (ASCII letters in any case); `expected` lists them for the message.
    func choice<T>(_ column: Column, _ choices: Choices<T>, expected: String) throws(Problem) -> T {
        let b = try required(column)
        for (name, value) in choices.entries where FieldParser.equalsIgnoringCase(b, name) { return value }
        throw Problem(column: column.name, reason: "must be one of \(expected)")
    }

    /// The accepted spellings of a value, as lowercase UTF-8 bytes (made once, compared for every row).
    struct Choices<T: Sendable>: Sendable {
        let entries: [([UInt8], T)]
        init(_ pairs: [(String, T)]) { entries = pairs.map { (Array($0.0.lowercased().utf8), $0.1) } }
    }

    static func equalsIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ name: [UInt8]) -> Bool {
        guard b.count == name.count else { return false }
        return name.withUnsafeBufferPointer { u in
            for i in 0..<u.count {
                let x = b[i]
                if (x >= 0x41 && x <= 0x5A ? x | 0x20 : x) != u[i] { return false }
            }
            return true
        }
    }

    static func digits<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        guard !bytes.isEmpty else { return nil }
        var n = 0
        for c in bytes {
            guard c >= 48, c <= 57 else { return nil }
            n = n * 10 + Int(c - 48)
        }
        return n
    }
}

/// Turns repeated byte strings (service codes and names, cities) into one shared `String` each, numbered in order
/// of first sight.
struct Interner {
    private var slots = UInt64Map()
    private var entries: [(bytes: [UInt8], string: String)] = []

    /// The number of `bytes` alone (no string handed out, so nothing retained), or `nil` when they are not valid UTF-8.
    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        string(bytes)?.id
    }

    /// The string for `bytes` and its number, or `nil` when the bytes are not valid UTF-8.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> (string: String, id: Int32)? {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h |= 1
        // Collisions of the 64-bit hash are resolved by probing the next hash value.
        while let id = slots[h] {
            if Interner.same(entries[Int(id)].bytes, bytes) { return (entries[Int(id)].string, id) }
            h = (h &+ 2) | 1
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        let id = Int32(entries.count)
        entries.append((Array(bytes), s))
        _ = slots.insert(h, id)
        return (s, id)
    }

    /// Byte-wise equality through `memcmp`.
    static func same(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let p = b.baseAddress, !a.isEmpty else { return true }
        return a.withUnsafeBufferPointer { memcmp($0.baseAddress!, p, a.count) == 0 }
    }

    /// Every interned string, by number.
    var strings: [String] { entries.map(\.string) }
}
