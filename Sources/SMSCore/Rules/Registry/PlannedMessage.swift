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
    public var priority: (Int, Int, Int)

    public var msisdn: String { subscriber.msisdn }
}
