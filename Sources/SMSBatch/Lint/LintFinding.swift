/// One thing `smsbatch lint` says about a template.
public struct LintFinding: Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning, note }
    public var file: String
    public var severity: Severity
    public var message: String

    public var description: String { "\(file): \(severity.rawValue): \(message)" }
}
