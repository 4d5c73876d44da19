import SMSCore

/// What the ledger holds, for `smsbatch status`.
public struct LedgerStatus: Sendable {
    /// Messages per state and rule.
    public var counts: [MessageState: [RuleKind: Int]] = [:]
    /// The earliest day a waiting message is due, if any.
    public var oldestWaitingDay: String?
    /// Recent failures: msisdn (whole; mask before showing), rule, state, status, reason.
    public var problems: [(msisdn: String, rule: String, state: String, status: Int?, reason: String)] = []
    public var items = 0

    public func total(_ state: MessageState) -> Int { counts[state]?.values.reduce(0, +) ?? 0 }
}
