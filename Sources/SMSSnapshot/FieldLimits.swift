import SMSCore

/// What a field may hold at all (SPEC §1, version 2), checked on a row's bytes before any field is parsed: no control
/// character (U+0000–U+001F, U+007F–U+009F) and no bidirectional override (U+202A–U+202E, U+2066–U+2069) in a
/// column the SPEC names, and 1–40 characters (Unicode scalars) in a text column. Unknown columns are not checked.
///
/// Works on UTF-8 bytes (a GB18030 record is decoded to UTF-8 before it is split): U+0000–U+001F and U+007F are
/// single bytes, U+0080–U+009F are `C2 80`…`C2 9F`, the overrides `E2 80 AA`…`E2 80 AE` and `E2 81 A6`…`E2 81 A9`,
/// and every byte that is not a continuation byte (`10xxxxxx`) starts one scalar. A text field is counted only up to
/// its limit, so a field of 50 MB costs one pass over its bytes and no `String`.
///
/// The field is checked as it was read (unquoted, before surrounding blanks are trimmed): a tab or a carriage return
/// padding a value is a control character too. Its length is the trimmed value's.
struct FieldLimits {
    /// The most characters (Unicode scalars) a text field may hold.
    static let maxTextScalars = 40

    private struct Checked {
        let index: Int
        let name: String
        let isText: Bool
    }

    /// The named columns this file has, in header order (so a row's first offending field is the one reported).
    private let checked: [Checked]

    /// `named`: the columns SPEC §1 names for the file (required and optional); `text`: those among them that are text.
    init(columns: [String: Int], named: [String], text: Set<String> = []) {
        checked = named.compactMap { name in columns[name].map { Checked(index: $0, name: name, isText: text.contains(name)) } }
            .sorted { $0.index < $1.index }
    }

    /// The first field of `row` that breaks a limit, as a problem naming its column (never its value).
    ///
    /// The whole row is looked at once, eight bytes at a time; only a row holding a suspect byte (below 0x20, 0x7F,
    /// or the lead bytes C2 and E2, as in `“”`) is looked at field by field.
    func problem(in row: CSVReader.View) -> FieldParser.Problem? {
        if FieldLimits.maySuspect(row.fields, count: row.bounds[row.count] - 1) {
            for c in checked {
                if let scalar = TextPolicy.forbiddenScalar(in: row.rawField(c.index)) {
                    return FieldParser.Problem(column: c.name, reason: FieldLimits.reason(for: scalar))
                }
            }
        }
        let limit = FieldLimits.maxTextScalars
        for c in checked where c.isText && FieldLimits.scalarCount(of: row.field(c.index), upTo: limit + 1) > limit {
            return FieldParser.Problem(column: c.name, reason: "is longer than \(limit) characters (Unicode scalars)")
        }
        return nil
    }

    /// Whether `count` bytes from `p` hold a byte below 0x20, 0x7F, C2 or E2: a word of eight bytes is tested with
    /// the bit tricks "has a byte less than n" and "has a zero byte" (exact for the word as a whole).
    static func maySuspect(_ p: UnsafePointer<UInt8>, count: Int) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(p)
        var i = 0
        while i + 8 <= count {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let below = (x &- ones &* 0x20) & ~x
            let del = x ^ (ones &* 0x7F), c2 = x ^ (ones &* 0xC2), e2 = x ^ (ones &* 0xE2)
            let zero = (del &- ones) & ~del | (c2 &- ones) & ~c2 | (e2 &- ones) & ~e2
            if (below | zero) & highs != 0 { return true }
            i += 8
        }
        while i < count {
            let c = p[i]
            if c < 0x20 || c == 0x7F || c == 0xC2 || c == 0xE2 { return true }
            i += 1
        }
        return false
    }

    /// The number of Unicode scalars in `bytes` (UTF-8), counted no further than `limit`.
    static func scalarCount(of bytes: UnsafeBufferPointer<UInt8>, upTo limit: Int) -> Int {
        var count = 0
        for b in bytes where b & 0xC0 != 0x80 {
            count += 1
            if count >= limit { return count }
        }
        return count
    }

    /// Names the code point (not the field's value): `holds a control character (U+0000)`.
    static func reason(for scalar: UInt32) -> String {
        let digits = String(scalar, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        let what =
            switch scalar {
            case 0x0A, 0x0D: "a line break, a control character"
            case 0x202A...0x202E, 0x2066...0x2069: "a bidirectional override"
            default: "a control character"
            }
        return "holds \(what) (\(code)), which no field may hold"
    }
}
