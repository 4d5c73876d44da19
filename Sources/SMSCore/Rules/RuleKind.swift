/// The three notices, in the order their messages are sent (SPEC §3.4).
public enum RuleKind: String, CaseIterable, Sendable, Comparable, Codable {
    case trialExpiry = "trial-expiry"
    case pointsClearing = "points-clearing"
    case monthEndSummary = "month-end-summary"

    /// Position in the send order: trial-expiry, points-clearing, month-end-summary.
    public var order: Int {
        switch self {
        case .trialExpiry: 0
        case .pointsClearing: 1
        case .monthEndSummary: 2
        }
    }

    public static func < (a: RuleKind, b: RuleKind) -> Bool { a.order < b.order }
}
