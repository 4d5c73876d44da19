/// Mainland mobile numbers (MSISDN): validation, normalisation and masking.
public enum Msisdn {
    /// Returns the 11-digit number for `1[3-9]\d{9}`, after stripping a `+86` or `86` prefix; `nil` otherwise.
    public static func normalize(_ text: some StringProtocol) -> String? {
        var bytes = Array(text.utf8)
        if bytes.count == 14, bytes[0] == UInt8(ascii: "+"), bytes[1] == UInt8(ascii: "8"), bytes[2] == UInt8(ascii: "6") {
            bytes.removeFirst(3)
        } else if bytes.count == 13, bytes[0] == UInt8(ascii: "8"), bytes[1] == UInt8(ascii: "6") {
            bytes.removeFirst(2)
        }
        guard bytes.count == 11, bytes[0] == UInt8(ascii: "1"),
            bytes[1] >= UInt8(ascii: "3"), bytes[1] <= UInt8(ascii: "9"),
            bytes.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The number as an integer (for compact keys); 0 for text that is not all digits.
    public static func number(_ msisdn: String) -> UInt64 {
        var n: UInt64 = 0
        for b in msisdn.utf8 {
            guard b >= 48, b <= 57 else { return 0 }
            n = n &* 10 &+ UInt64(b - 48)
        }
        return n
    }

    /// `13800138000` → `138****8000`. Anything that is not 11 characters is masked whole.
    public static func mask(_ msisdn: String) -> String {
        let chars = Array(msisdn)
        guard chars.count == 11 else { return String(repeating: "*", count: max(chars.count, 4)) }
        return String(chars[0..<3]) + "****" + String(chars[7..<11])
    }
}
