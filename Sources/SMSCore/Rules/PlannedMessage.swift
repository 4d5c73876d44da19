/// One message the planner decided to send: a subscriber's digest for one rule, not yet rendered.
public struct PlannedMessage: Sendable {
    public var rule: RuleKind
    public var subscriber: Subscriber
    public var stars: Int
    /// Item keys, sorted.
    public var keys: [String]
    /// Values for the template (the rule's and ``CommonFields``).
    public var scope: TemplateScope
    /// Inside-rule priority (smaller first); ties go by msisdn.
    public var priority: (Int, Int)

    public var msisdn: String { subscriber.msisdn }

    /// The send order of SPEC §3.4.
    public static func sendsBefore(_ a: PlannedMessage, _ b: PlannedMessage) -> Bool {
        if a.rule != b.rule { return a.rule < b.rule }
        if a.priority != b.priority { return a.priority < b.priority }
        return a.msisdn < b.msisdn
    }
}
