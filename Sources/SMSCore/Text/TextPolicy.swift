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

    /// The most characters a configured text that goes into messages may hold (a hint, a privilege).
    public static let maxConfiguredCharacters = 60

    /// Whether `text` may go from the configuration into messages: 1–60 characters, no control character or
    /// bidirectional override (as SPEC §1 keeps them out of data fields), no link and no 【】.
    public static func isConfigurable(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard !text.isEmpty, scalars.count <= maxConfiguredCharacters, problem(in: text) == nil else { return false }
        return !scalars.contains { s in
            let v = s.value
            return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        }
    }
}
