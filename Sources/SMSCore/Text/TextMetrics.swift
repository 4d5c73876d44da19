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
    public static func units(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { units($0) }
    }

    /// The same over UTF-8 bytes, eight at a time: a byte starts a scalar unless it is `10xxxxxx`, and a
    /// `11110xxx` byte (a scalar outside the BMP) counts once more.
    public static func units(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let raw = UnsafeRawBufferPointer(bytes)
        let n = bytes.count
        var units = 0
        var i = 0
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // Bits 7 and 6 of each byte, flipped on bit 7: zero exactly for continuation bytes.
            let x = (w & 0xC0C0_C0C0_C0C0_C0C0) ^ 0x8080_8080_8080_8080
            units += ((x | (x >> 1)) & 0x4040_4040_4040_4040).nonzeroBitCount
            // Bit 7 of a byte stays set only when its top four bits are all set (a four-byte leader).
            units += (w & (w << 1) & (w << 2) & (w << 3) & 0x8080_8080_8080_8080).nonzeroBitCount
            i += 8
        }
        while i < n {
            let b = bytes[i]
            units &+= (b & 0xC0 != 0x80 ? 1 : 0) &+ (b >= 0xF0 ? 1 : 0)
            i += 1
        }
        return units
    }

    /// 1 when `units` ≤ 70, else ⌈units / 67⌉.
    public static func segments(units: Int) -> Int {
        units <= singleLimit ? 1 : (units + partSize - 1) / partSize
    }
}
