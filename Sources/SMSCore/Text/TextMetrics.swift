/// SMS length rules (SPEC §4): UCS-2 long SMS.
public enum TextMetrics {
    /// One SMS holds this many UTF-16 units.
    public static let singleLimit = 70
    /// Each part of a long SMS holds this many UTF-16 units.
    public static let partSize = 67

    /// UTF-16 code units of `text` (characters outside the BMP count 2). Counted from the UTF-8 bytes: every
    /// scalar is one unit, and a 4-byte scalar (outside the BMP) one more.
    public static func units(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { units($0) }
    }

    /// The same over UTF-8 bytes.
    public static func units(_ bytes: some Collection<UInt8>) -> Int {
        var n = 0
        for b in bytes { n &+= (b & 0xC0 != 0x80 ? 1 : 0) &+ (b >= 0xF0 ? 1 : 0) }
        return n
    }

    /// 1 when `units` ≤ 70, else ⌈units / 67⌉.
    public static func segments(units: Int) -> Int {
        units <= singleLimit ? 1 : (units + partSize - 1) / partSize
    }
}
