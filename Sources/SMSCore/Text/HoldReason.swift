/// Why a message is held in the ledger instead of sent (SPEC §5): its text carries, from the data, something no
/// operator notice may carry. A held message waits for an operator to release or drop it.
public enum HoldReason: String, Sendable, CaseIterable {
    /// Something that reads as a link: `http`, `www.`, or a domain such as `abc.cn`.
    case link
    /// `【` or `】` in the body: a signature of its own (a forged sender).
    case signature
    /// Longer than ``HoldReason/maxUnits`` UTF-16 units, signature included.
    case tooLong = "too-long"

    /// The longest text sent, in UTF-16 units with the signature (platforms cap one message at about 500).
    public static let maxUnits = 500

    /// A sentence for the ledger, `status` and the preview.
    public var sentence: String {
        switch self {
        case .link: "the text carries something that reads as a link (from the data)"
        case .signature: "the text carries a 【】 signature of its own (from the data)"
        case .tooLong: "the text is longer than \(HoldReason.maxUnits) units"
        }
    }

    /// Why a text must be held, or `nil`: `body` is the text after the signature, `units` the whole text's length.
    ///
    /// Every message passes here, so the body is read eight bytes at a time and only a word holding a byte that
    /// can start a finding (`.`, `h`, `w` in any case, or `E3`, the lead byte of 【】) is looked at byte by byte.
    public static func check(body: UnsafeBufferPointer<UInt8>, units: Int) -> HoldReason? {
        if units > maxUnits { return .tooLong }
        guard let base = body.baseAddress else { return nil }
        let n = body.count
        var i = 0
        while i + 8 <= n {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let folded = word | (ones &* 0x20)
            if holds(word, 0x2E) || holds(word, 0xE3) || holds(folded, 0x68) || holds(folded, 0x77) {
                for k in i..<(i + 8) {
                    if let reason = finding(body, at: k) { return reason }
                }
            }
            i += 8
        }
        while i < n {
            if let reason = finding(body, at: i) { return reason }
            i += 1
        }
        return nil
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101

    /// Whether some byte of `word` may be `byte` (exact for the first match; a later false alarm only costs a look).
    @inline(__always)
    private static func holds(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & 0x8080_8080_8080_8080 != 0
    }

    /// What starts at byte `i`, if anything.
    @inline(__always)
    private static func finding(_ body: UnsafeBufferPointer<UInt8>, at i: Int) -> HoldReason? {
        let n = body.count
        switch body[i] {
        case 0xE3:
            // 【 E3 80 90, 】 E3 80 91
            if i + 2 < n, body[i + 1] == 0x80, body[i + 2] == 0x90 || body[i + 2] == 0x91 { return .signature }
        case 0x2E:
            // A domain: an ASCII letter, digit or hyphen, a dot, then two ASCII letters (`5.5元` is no link).
            if i > 0, isDomainByte(body[i - 1]), i + 2 < n, isLetter(body[i + 1]), isLetter(body[i + 2]) { return .link }
        case 0x48, 0x68:
            if matches(body, at: i, "http") { return .link }
        case 0x57, 0x77:
            if matches(body, at: i, "www.") { return .link }
        default:
            break
        }
        return nil
    }

    /// The same on a `String` body (tests, lint).
    public static func check(body: String, units: Int) -> HoldReason? {
        var body = body
        return body.withUTF8 { check(body: $0, units: units) }
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    private static func isDomainByte(_ c: UInt8) -> Bool { isLetter(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D }

    /// `word` (lowercase ASCII) at `i`, in any case.
    private static func matches(_ body: UnsafeBufferPointer<UInt8>, at i: Int, _ word: StaticString) -> Bool {
        guard i + word.utf8CodeUnitCount <= body.count else { return false }
        return word.withUTF8Buffer { w in
            for k in 0..<w.count where (body[i + k] >= 0x41 && body[i + k] <= 0x5A ? body[i + k] | 0x20 : body[i + k]) != w[k] {
                return false
            }
            return true
        }
    }
}
