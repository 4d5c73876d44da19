/// Settings of the rules: the few every rule shares, and each rule's own (declared in its folder as a
/// ``RuleSetting`` and read with `configuration[setting]`). Every default is the operator's (SPEC §3).
public struct RuleConfiguration: Sendable, Equatable {
    /// Rules that run; `nil` (the default): every registered rule.
    public var enabledRules: Set<RuleKind>?
    /// Rules that skip subscribers who asked not to be disturbed; `nil` (the default): every rule that is not a
    /// mandatory notice (``NoticeRule/isMandatory``).
    public var dndRules: Set<RuleKind>?
    /// The service hotline named in texts. Default `10086`.
    public var hotline: String = "10086"
    /// Each rule's own settings by key, when set; a missing one has its declared default.
    private var values: [String: any Sendable & Equatable] = [:]

    public init() {}

    /// A rule's setting: the value set, else its default.
    public subscript<Value>(setting: RuleSetting<Value>) -> Value {
        get { values[setting.key] as? Value ?? setting.defaultValue }
        set { values[setting.key] = newValue }
    }

    /// True when `rule` runs.
    public func isEnabled(_ rule: RuleKind) -> Bool { enabledRules?.contains(rule) ?? true }

    /// True when `rule` skips subscribers who asked not to be disturbed.
    public func respectsDND(_ rule: RuleKind, mandatory: Bool) -> Bool { dndRules?.contains(rule) ?? !mandatory }

    public static func == (a: RuleConfiguration, b: RuleConfiguration) -> Bool {
        func same<T: Equatable>(_ x: T, _ y: any Equatable) -> Bool { (y as? T) == x }
        guard a.enabledRules == b.enabledRules, a.dndRules == b.dndRules, a.hotline == b.hotline,
            a.values.count == b.values.count
        else { return false }
        return a.values.allSatisfy { key, value in b.values[key].map { same(value, $0) } ?? false }
    }
}

extension RuleConfiguration {
    /// The settings every rule shares, declared once.
    public static func commonSettings(_ registry: RuleRegistry) -> [Setting<RuleConfiguration>] {
        let names = registry.kinds.map(\.rawValue).joined(separator: ", ")
        let rules = SettingKind<Set<RuleKind>>(
            expected: "a list of rule names (\(names))",
            reading: { (input, _) throws(SettingProblem) -> Set<RuleKind> in
                guard case let .list(items) = input else { throw SettingProblem("must be a list of rule names (\(names))") }
                var out: Set<RuleKind> = []
                for item in items {
                    guard let name = item.text, let rule = registry.kind(named: name) else {
                        throw SettingProblem("names '\(item.text ?? "?")', which is not a rule (\(names))")
                    }
                    out.insert(rule)
                }
                return out
            }, write: { "[" + $0.sorted().map { JSONText.string($0.rawValue) }.joined(separator: ", ") + "]" })
        return [
            Setting(
                "rules", expected: rules.expected, doc: "The rules that run. Default: every rule.",
                apply: { (input, context, c) throws(SettingProblem) in
                    c.enabledRules = try rules.read(input, context)
                }, show: { c in rules.write(c.enabledRules ?? Set(registry.kinds)) }),
            Setting(
                "dnd_rules", expected: rules.expected,
                doc: "The rules that skip subscribers with `dnd` = 1. Default: every rule but the mandatory notices.",
                apply: { (input, context, c) throws(SettingProblem) in c.dndRules = try rules.read(input, context) },
                show: { c in rules.write(c.dndRules ?? Set(registry.rules.filter { !$0.isMandatory }.map { $0.kind })) }),
            Setting("hotline", .text, at: \.hotline, doc: "The service hotline texts name."),
        ]
    }
}
