/// Where a ledger lives, as the `--ledger` text says it: a SQLite file, or a PostgreSQL URL.
public enum LedgerLocation: Sendable, Equatable {
    case file(String)
    case postgres(url: String)

    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            self = .file(text)
        }
    }

    /// True for text that names a URL of a kind smsbatch has no ledger for (`mysql://…`).
    public static func isUnknownURL(_ text: String) -> Bool {
        guard case .file = LedgerLocation(text) else { return false }
        return text.contains("://")
    }

    /// The text with any password taken out, fit for logs and error messages:
    /// `postgres://app:secret@db:5432/sms` → `postgres://app@db:5432/sms`.
    public static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var tail = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            let user = authority[..<at].split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            authority = Substring(user + authority[at...])
        }
        if let query = tail.firstIndex(of: "?") {
            let params = tail[tail.index(after: query)...].split(separator: "&").map { p in
                p.lowercased().hasPrefix("password=") ? "password=***" : String(p)
            }
            tail = String(tail[..<query]) + "?" + params.joined(separator: "&")
        }
        return String(text[..<scheme.upperBound]) + authority + tail
    }
}
