import SMSCore

/// The notices lint measures every template with: real digests planned by the rules from a made-up day, one
/// subscriber per case and brand, with long but ordinary values (six-character service names, the operator's
/// longest; five-digit points; a date next year where it matters).
///
/// The budget follows the care plan: a one-item notice fits one segment (two for 全球通, whose formal address is
/// longer); a notice of up to three items, or a month-end summary, fits the configured budget (two by default).
struct LintSamples {
    /// One case: what it is, its brand, and the planned message.
    struct Case {
        var label: String
        var brand: Brand
        var items: Int
        var message: PlannedMessage
    }

    /// The day the cases are planned on: a month end, so every rule is due.
    static let asOf = CalendarDate(year: 2026, month: 11, day: 30)!

    let cases: [Case]

    init(configuration: Configuration) {
        let registry = configuration.registry
        var rules = configuration.rules
        rules.enabledRules = Set(registry.kinds)
        rules.dndRules = []
        var b = SnapshotBuilder()
        var history = InMemoryKeyHistory(registry: registry)
        var labels: [String: (RuleKind, String, Brand, Int)] = [:]
        var serial = 0
        let d = LintSamples.asOf
        for brand in Brand.allCases {
            for rule in registry.rules {
                for sample in rule.samples {
                    serial += 1
                    let msisdn = "138" + String(10_000_000 + serial)
                    // Five stars for 全球通 (the tier a privilege is named for), fewer for the others.
                    let joined = brand == .gotone ? CalendarDate(year: 2015, month: 1, day: 1)! : CalendarDate(year: 2025, month: 1, day: 1)!
                    b.add(
                        Subscriber(
                            msisdn: msisdn, brand: brand, status: .active, joinDate: joined,
                            avgMonthlySpend: Money(fen: brand == .gotone ? 50_000 : 5_000), suspensions: 0, dnd: false))
                    sample.rows(msisdn, d, &b)
                    for key in sample.recorded(msisdn, d) { history.insert(key) }
                    labels[msisdn] = (rule.kind, sample.label, brand, sample.items)
                }
            }
        }
        let planner = Planner(asOf: d, configuration: rules, registry: registry)
        let messages = planner.messages(b.build(), history: history).messages
        // A sample's subscriber may be due for other rules too (a trial's services also make a summary): not its case.
        cases = messages.compactMap { message in
            guard let (rule, label, brand, items) = labels[message.msisdn], rule == message.rule else { return nil }
            return Case(label: label, brand: brand, items: items, message: message)
        }
    }

    /// Segments a notice of `items` items may take with a template for `brand` (`nil`: a rule's default): one for a
    /// one-item notice (two for 全球通), else the configured budget.
    static func budget(items: Int, brand: Brand?, configured: Int) -> Int {
        items == 1 && brand != .gotone ? min(1, configured) : configured
    }
}
