/// Why a due message was not planned.
public enum SuppressionReason: String, CaseIterable, Sendable, Comparable {
    /// The subscriber is suspended or closed.
    case notActive = "not-active"
    /// The subscriber asked not to be disturbed and the rule respects it.
    case dnd
    /// Every due item is already in the ledger.
    case alreadyRecorded = "already-recorded"

    public static func < (a: SuppressionReason, b: SuppressionReason) -> Bool { a.rawValue < b.rawValue }
}

/// Counts from one planning pass.
public struct PlanStatistics: Sendable, Equatable {
    /// Messages planned per rule.
    public var planned: [RuleKind: Int] = [:]
    /// Items (keys) planned per rule.
    public var items: [RuleKind: Int] = [:]
    /// Messages not planned, per reason and rule.
    public var suppressed: [SuppressionReason: [RuleKind: Int]] = [:]

    public init() {}

    mutating func suppress(_ reason: SuppressionReason, _ rule: RuleKind) {
        suppressed[reason, default: [:]][rule, default: 0] += 1
    }

    /// Adds the counts of another pass (over other subscribers).
    public mutating func add(_ other: PlanStatistics) {
        planned.merge(other.planned, uniquingKeysWith: +)
        items.merge(other.items, uniquingKeysWith: +)
        for (reason, rules) in other.suppressed { suppressed[reason, default: [:]].merge(rules, uniquingKeysWith: +) }
    }

    public var totalPlanned: Int { planned.values.reduce(0, +) }

    public func suppressedTotal(_ reason: SuppressionReason) -> Int {
        suppressed[reason]?.values.reduce(0, +) ?? 0
    }
}
