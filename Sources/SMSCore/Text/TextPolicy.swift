/// What an operator notice must never contain: its own signature brackets or a link. One reading serves templates,
/// configuration and rendered texts: ``HoldReason/check(body:units:)`` (SPEC §5).
public enum TextPolicy {
    /// A short description of the first forbidden thing in `text`, or `nil`.
    public static func problem(in text: String) -> String? {
        switch HoldReason.check(body: text, units: 0) {
        case .signature: "signature brackets 【】 (the signature is added once, outside the template)"
        case .link: "something that reads as a link; operator notices never carry links"
        case .tooLong, nil: nil
        }
    }

    /// The first control character (U+0000–U+001F, U+007F–U+009F) or bidirectional override (U+202A–U+202E,
    /// U+2066–U+2069) in `bytes` (UTF-8), or `nil`: what no data field (SPEC §1) and no configured text may hold.
    public static func forbiddenScalar(in bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let n = bytes.count
        var i = 0
        while i < n {
            let c = bytes[i]
            // One compare for the common bytes: printable ASCII and the lead bytes of most other characters.
            if c >= 0x20 && c != 0x7F && c != 0xC2 && c != 0xE2 {
                i += 1
                continue
            }
            if c < 0x20 || c == 0x7F { return UInt32(c) }
            if c == 0xC2, i + 1 < n, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0x9F { return UInt32(bytes[i + 1]) }
            if c == 0xE2, i + 2 < n {
                let (x, y) = (bytes[i + 1], bytes[i + 2])
                if x == 0x80 && y >= 0xAA && y <= 0xAE || x == 0x81 && y >= 0xA6 && y <= 0xA9 {
                    return 0x2000 | UInt32(x & 0x3F) << 6 | UInt32(y & 0x3F)
                }
            }
            i += 1
        }
        return nil
    }

    /// The most characters a configured text that goes into messages may hold (a hint, a privilege).
    public static let maxConfiguredCharacters = 60

    /// Whether `text` may go from the configuration into messages: 1–60 characters, no control character or
    /// bidirectional override (as SPEC §1 keeps them out of data fields), no link and no 【】.
    public static func isConfigurable(_ text: String) -> Bool {
        guard !text.isEmpty, text.unicodeScalars.count <= maxConfiguredCharacters, problem(in: text) == nil else { return false }
        var text = text
        return text.withUTF8 { forbiddenScalar(in: $0) } == nil
    }
}
