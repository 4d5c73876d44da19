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

/// A made-up subscriber's data for lint: what it is (`label`), how many items it makes due, and the rows that make
/// them due on the given day.
public struct RuleSample: Sendable {
    /// Adds a sample subscriber's rows (its number, the day planned) to a snapshot.
    public typealias Rows = @Sendable (_ msisdn: String, _ asOf: CalendarDate, _ builder: inout SnapshotBuilder) -> Void

    public let label: String
    public let items: Int
    public let rows: Rows
    /// Keys the ledger is to hold already for the sample (e.g. an earlier deadline of a voucher that was extended).
    public let recorded: @Sendable (_ msisdn: String, _ asOf: CalendarDate) -> [String]

    public init(
        _ label: String, items: Int, recorded: @escaping @Sendable (_ msisdn: String, _ asOf: CalendarDate) -> [String] = { _, _ in [] },
        rows: @escaping Rows
    ) {
        self.label = label
        self.items = items
        self.recorded = recorded
        self.rows = rows
    }

    /// A sample made of several parts, one item each.
    public init(_ label: String, _ parts: [Rows]) {
        self.init(label, items: parts.count) { m, d, b in for part in parts { part(m, d, &b) } }
    }

    /// Six-character names, the longest of the operator's catalogue (samples use them for services and vouchers).
    public static let longNames = ["咪咕视频会员", "积分商城会员", "新闻早晚报刊", "彩信天气预报", "和教育同步课", "咪咕音乐白金", "手机报早晚版", "和健康问诊包"]
}

/// All due items of one subscriber for one rule (SPEC §3.4), ready for a template.
public struct Digest: Sendable {
    /// Due items not yet in the ledger; 0 when the ledger covers everything due.
    public var items: Int
    /// Item keys, sorted (detailed digests only).
    public var keys: [String]
    /// Values for the rule's template (detailed digests only).
    public var scope: TemplateScope
    /// The rule's priority inside its rule: smaller first, then msisdn.
    public var priority: (Int, Int, Int)
    /// Due items left out because the ledger already covers them.
    public var coveredItems: Int

    public init(items: Int, keys: [String] = [], scope: TemplateScope = [:], priority: (Int, Int, Int), coveredItems: Int = 0) {
        self.items = items
        self.keys = keys.count < 2 ? keys : keys.sorted()
        self.scope = scope
        self.priority = priority
        self.coveredItems = coveredItems
    }

    /// Items were due, but the ledger covers all of them: nothing to send.
    public static func covered(_ items: Int) -> Digest {
        Digest(items: 0, priority: (0, 0, 0), coveredItems: items)
    }
}

/// Names every template can use.
public enum CommonFields {
    public static let schema: [String: TemplateSchema.Kind] = [
        "brand_name": .text, "stars": .text, "hotline": .text, "today": .text,
    ]

    /// Adds the common names to a rule's values.
    static func add(to scope: inout TemplateScope, subscriber: Subscriber, stars: Int, today: String, hotline: String) {
        scope.appendNew("brand_name", .text(subscriber.brand.chineseName))
        scope.appendNew("stars", .text(String(stars)))
        scope.appendNew("hotline", .text(hotline))
        scope.appendNew("today", .text(today))
    }

    /// Adds `first` and `last` flags to list elements, for separators such as `{{^last}}、{{/last}}`.
    static func positioned(_ elements: [TemplateScope]) -> [TemplateScope] {
        elements.enumerated().map { index, element in
            var e = element
            e.appendNew("first", .flag(index == 0))
            e.appendNew("last", .flag(index == elements.count - 1))
            return e
        }
    }

    static let positionFields: [String: TemplateSchema.Kind] = ["first": .flag, "last": .flag]
}
