extension RenderedMessage {
    /// Appends the JSON Lines record of SPEC §6 and a line break to `out`, as UTF-8 bytes.
    public func appendJSONRecord(to out: inout [UInt8]) {
        var text = self.text
        text.withUTF8 { textBytes in
            RenderedMessage.appendJSONRecord(
                id: id, msisdn: msisdn, rule: rule, keys: keys, text: textBytes, segments: segments,
                units: units, stars: stars, brand: brand, template: template, to: &out)
        }
    }

    /// The same record from its parts, the text given as UTF-8 bytes (no `String` needed).
    static func appendJSONRecord(
        id: String, msisdn: String, rule: RuleKind, keys: [String], text: UnsafeBufferPointer<UInt8>,
        segments: Int, units: Int, stars: Int, brand: Brand, template: String, to out: inout [UInt8]
    ) {
        out.append(contentsOf: #"{"id":"#.utf8)
        JSONText.appendString(id, toBytes: &out)
        appendJSONRecordAfterID(
            msisdn: msisdn, rule: rule, keys: keys, text: text, segments: segments, units: units,
            stars: stars, brand: brand, template: template, to: &out)
    }

    /// The record from the field after `id` on (for a caller that wrote `{"id":"…"` itself).
    static func appendJSONRecordAfterID(
        msisdn: String, rule: RuleKind, keys: [String], text: UnsafeBufferPointer<UInt8>,
        segments: Int, units: Int, stars: Int, brand: Brand, template: String,
        to out: inout [UInt8]
    ) {
        func raw(_ s: StaticString) {
            s.withUTF8Buffer { out.append(contentsOf: $0) }
        }
        raw(",\"msisdn\":")
        JSONText.appendString(msisdn, toBytes: &out)
        raw(",\"rule\":")
        JSONText.appendString(rule.rawValue, toBytes: &out)
        raw(",\"keys\":[")
        for (i, key) in keys.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONText.appendString(key, toBytes: &out)
        }
        raw("],\"text\":")
        JSONText.appendString(bytes: text, to: &out)
        raw(",\"segments\":")
        JSONText.appendInteger(segments, to: &out)
        raw(",\"units\":")
        JSONText.appendInteger(units, to: &out)
        raw(",\"stars\":")
        JSONText.appendInteger(stars, to: &out)
        raw(",\"brand\":")
        JSONText.appendString(brand.rawValue, toBytes: &out)
        raw(",\"template\":")
        JSONText.appendString(template, toBytes: &out)
        raw("}\n")
    }
}

/// Minimal JSON text writing, with non-ASCII text kept as is (readable Chinese in the output).
public enum JSONText {
    /// Appends `s` as a JSON string, on UTF-8 bytes: only `"`, `\\` and control characters are escaped; other text,
    /// Chinese included, is kept as it is.
    public static func appendString(_ s: String, toBytes out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString(bytes: $0, to: &out) }
    }

    /// The same for text given as UTF-8 bytes.
    public static func appendString(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        var clean = 0
        var i = 0
        let n = bytes.count
        while i < n {
            // Eight bytes at a time: most texts have nothing to escape.
            if i + 8 <= n, !needsEscape(UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                i += 8
                continue
            }
            let b = bytes[i]
            if b == 0x22 || b == 0x5C || b < 0x20 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[clean..<i]))
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
                }
                clean = i + 1
            }
            i += 1
        }
        if clean < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[clean...])) }
        out.append(0x22)
    }

    /// True when one of the eight bytes is `"`, `\\` or a control character (below 0x20), by the classic
    /// "has a zero byte" and "has a byte less than n" tricks; may flag a word needlessly (its bytes are then looked
    /// at one by one), never misses one.
    @inline(__always)
    static func needsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let below20 = (w &- ones &* 0x20) & ~w & highs != 0
        return below20 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C))
    }

    /// Appends the decimal digits of `n` (no `String` made on the way).
    public static func appendInteger(_ n: Int, to out: inout [UInt8]) {
        if n < 0 {
            out.append(0x2D)
            out.append(contentsOf: String(n.magnitude).utf8)
            return
        }
        if n < 10 { out.append(0x30 + UInt8(n)); return }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8
            ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[count] = 0x30 + UInt8(v % 10)
                v /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }

    /// `s` as a JSON string literal.
    public static func string(_ s: String) -> String {
        var out: [UInt8] = []
        appendString(s, toBytes: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
