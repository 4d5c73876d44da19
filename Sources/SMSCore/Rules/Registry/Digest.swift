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
