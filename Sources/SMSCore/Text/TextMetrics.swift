/// SMS length rules (SPEC §4): UCS-2 long SMS.
public enum TextMetrics {
    /// One SMS holds this many UTF-16 units.
    public static let singleLimit = 70
    /// Each part of a long SMS holds this many UTF-16 units.
    public static let partSize = 67

    /// UTF-16 code units of `text` (characters outside the BMP count 2).
    public static func units(_ text: String) -> Int { text.utf16.count }

    /// 1 when `units` ≤ 70, else ⌈units / 67⌉.
    public static func segments(units: Int) -> Int {
        units <= singleLimit ? 1 : (units + partSize - 1) / partSize
    }
}
