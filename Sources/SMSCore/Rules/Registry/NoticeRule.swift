/// One notice, as one unit: everything smsbatch needs to know of a rule is declared by its type, in the rule's own
/// folder — its name and place in the order, the data it reads, its settings and defaults, its template names, its
/// keys, whether it is mandatory, and the samples lint measures templates with. ``RuleRegistry`` lists the types.
public protocol NoticeRule: Sendable {
    /// The rule's name and place in the send order.
    static var kind: RuleKind { get }
    /// The rule's name for reviewers, in Chinese (preview headings), e.g. 免费业务到期提醒.
    static var title: String { get }
    /// A mandatory notice ignores `dnd` and is never held back by the per-subscriber cap. Default: `false`.
    static var isMandatory: Bool { get }
    /// The first field of the rule's item keys, e.g. `trial` in `trial:{msisdn}:…`.
    static var keyKind: String { get }
    /// The names this rule's templates may use (besides ``CommonFields``).
    static var schema: TemplateSchema { get }
    /// The rule's own configuration keys. Default: none.
    static var settings: [Setting<RuleConfiguration>] { get }
    /// A file the rule adds to the snapshot. Default: none (it reads what every day has).
    static var table: (any SnapshotTableDescription)? { get }
    /// True when a key with the same group and an earlier date means the deadline was moved (a voucher's 延期), so
    /// the key history keeps the earliest date of each group (``KeyHistory/earliestDeadline(group:)``). Default `false`.
    static var notesMovedDeadlines: Bool { get }
    /// Made-up notices lint renders every template of the rule with (one subscriber each).
    static var samples: [RuleSample] { get }
    /// The last day on which the notice of one of its keys still makes sense; a queued message expires after it.
    static func lastUsefulDay(key: String, configuration: RuleConfiguration) -> CalendarDate?

    /// The rule as configured for the day `asOf`.
    init(asOf: CalendarDate, configuration: RuleConfiguration)

    /// The digest of all of this subscriber's due items; `nil` when nothing is due at all.
    ///
    /// With `detailed` false only the counts and the priority are filled (the cheap first pass of planning);
    /// with `detailed` true also the keys and the template values.
    func digest(
        for subscriber: Subscriber, at index: Int, in snapshot: Snapshot, history: some KeyHistory,
        detailed: Bool
    ) -> Digest?

    /// Adds what the rule says of the subscriber beyond its items (e.g. a star level's privilege) to a detailed
    /// digest's values. Default: nothing.
    func complete(_ scope: inout TemplateScope, subscriber: Subscriber, stars: Int)
}

extension NoticeRule {
    public static var isMandatory: Bool { false }
    public static var notesMovedDeadlines: Bool { false }
    public static var settings: [Setting<RuleConfiguration>] { [] }
    public static var table: (any SnapshotTableDescription)? { nil }
    public func complete(_ scope: inout TemplateScope, subscriber: Subscriber, stars: Int) {}
    /// This rule's name.
    public var kind: RuleKind { Self.kind }
    /// The names the rule's templates may use, common names included.
    public static var fullSchema: TemplateSchema {
        TemplateSchema(schema.fields.merging(CommonFields.schema) { a, _ in a })
    }
}
