/// The rules smsbatch knows, in send order: the planner, lint, preview, quotas and the configuration iterate over
/// them. Adding a rule is a folder under `Rules/` with a type conforming to ``NoticeRule``, and one line here.
public struct RuleRegistry: Sendable, Equatable {
    /// The rules' types, in send order.
    public let rules: [any NoticeRule.Type]
    private let byName: [String: Int]
    private let byKeyKind: [String: Int]

    /// The product's rules (SPEC §3): trial expiry, voucher expiry, points clearing, month-end summary.
    public static let standard = RuleRegistry([
        TrialExpiryRule.self, VoucherExpiryRule.self, PointsClearingRule.self, MonthEndSummaryRule.self,
    ])

    /// A registry of `rules` (sorted into send order). Names and key kinds must differ.
    public init(_ rules: [any NoticeRule.Type]) {
        self.rules = rules.sorted { $0.kind < $1.kind }
        byName = Dictionary(self.rules.enumerated().map { ($1.kind.rawValue, $0) }) { a, _ in a }
        byKeyKind = Dictionary(self.rules.enumerated().map { ($1.keyKind, $0) }) { a, _ in a }
        precondition(byName.count == rules.count && byKeyKind.count == rules.count, "two rules share a name or a key kind")
    }

    public static func == (a: RuleRegistry, b: RuleRegistry) -> Bool { a.kinds == b.kinds }

    /// The same registry with `more` rules added (a test's, or a plug-in's).
    public func adding(_ more: any NoticeRule.Type...) -> RuleRegistry { RuleRegistry(rules + more) }

    /// Every rule's kind, in send order.
    public var kinds: [RuleKind] { rules.map { $0.kind } }

    /// The rule of that name.
    public func kind(named name: String) -> RuleKind? { byName[name].map { rules[$0].kind } }

    /// The rule of that name's type.
    public func rule(named name: String) -> (any NoticeRule.Type)? { byName[name].map { rules[$0] } }

    /// The rule's type.
    public func rule(_ kind: RuleKind) -> (any NoticeRule.Type)? { byName[kind.rawValue].map { rules[$0] } }

    /// The rule whose keys start with `kind:` (e.g. `trial`).
    public func rule(keyKind: some StringProtocol) -> (any NoticeRule.Type)? { byKeyKind[String(keyKind)].map { rules[$0] } }

    /// Mandatory notices: they ignore `dnd` and the per-subscriber cap never holds them back.
    public var mandatory: Set<RuleKind> { Set(rules.filter { $0.isMandatory }.map { $0.kind }) }

    /// Every rule's own settings, in rule order.
    public var settings: [Setting<RuleConfiguration>] { rules.flatMap { $0.settings } }

    /// The files the rules `enabled` names (`nil`: every rule) add to a snapshot, beyond the subscribers,
    /// subscriptions, usage and points every day has.
    public func tables(enabled: Set<RuleKind>? = nil) -> [any SnapshotTableDescription] {
        rules.filter { enabled?.contains($0.kind) ?? true }.compactMap { $0.table }
    }

    /// The last day on which the notice of `key` still makes sense (its rule's reading), or `nil` for a key of no
    /// registered rule.
    public func lastUsefulDay(of key: String, configuration: RuleConfiguration) -> CalendarDate? {
        guard let colon = key.utf8.firstIndex(of: 0x3A), let rule = rule(keyKind: key[..<colon]) else { return nil }
        return rule.lastUsefulDay(key: key, configuration: configuration)
    }

    /// The label of a key's stage in previews: `7天` for a staged key, else its last field (a summary's month).
    public func stageLabel(of key: String) -> String {
        if let (_, stage) = ItemKey.splitStage(key) { return "\(stage)天" }
        return String(key.split(separator: ":").last ?? "")
    }
}
