/// One notice: finds what a subscriber must be told and describes it for the rule's templates.
public protocol NoticeRule: Sendable {
    var kind: RuleKind { get }
    /// The names this rule's templates may use (besides ``CommonFields``).
    static var schema: TemplateSchema { get }
    /// The digest of all of this subscriber's due items; `nil` when nothing is due at all.
    ///
    /// With `detailed` false only the counts and the priority are filled (the cheap first pass of planning);
    /// with `detailed` true also the keys and the template values.
    func digest(for subscriber: Subscriber, at index: Int, in snapshot: Snapshot, history: some KeyHistory,
                detailed: Bool) -> Digest?
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
