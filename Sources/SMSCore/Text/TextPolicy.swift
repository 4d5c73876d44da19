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
}
