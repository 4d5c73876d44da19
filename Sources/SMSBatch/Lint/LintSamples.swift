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
        var rules = configuration.rules
        rules.enabledRules = Set(RuleKind.allCases)
        rules.dndRules = []
        var b = SnapshotBuilder()
        var labels: [String: (String, Brand, Int)] = [:]
        var serial = 0
        let d = LintSamples.asOf
        for brand in Brand.allCases {
            func subscriber(_ label: String, items: Int) -> String {
                serial += 1
                let msisdn = "1380000" + String(1000 + serial)
                // Five stars for 全球通 (the tier a privilege is named for), fewer for the others.
                let joined = brand == .gotone ? CalendarDate(year: 2015, month: 1, day: 1)! : CalendarDate(year: 2025, month: 1, day: 1)!
                b.add(Subscriber(msisdn: msisdn, brand: brand, status: .active, joinDate: joined,
                                 avgMonthlySpend: Money(fen: brand == .gotone ? 50_000 : 5_000), suspensions: 0, dnd: false))
                labels[msisdn] = (label, brand, items)
                return msisdn
            }
            func trial(_ m: String, _ code: String, fee: Int, days: Int, _ after: Subscription.AfterTrial) {
                b.add(Subscription(msisdn: m, serviceCode: code, serviceName: LintSamples.names[code.count % LintSamples.names.count],
                                   monthlyFee: Money(fen: fee), status: .active, trialEnd: d.adding(days: days), afterTrial: after))
            }
            func paid(_ m: String, _ code: String, name: String, fee: Int) {
                b.add(Subscription(msisdn: m, serviceCode: code, serviceName: name, monthlyFee: Money(fen: fee), status: .active,
                                   trialEnd: nil, afterTrial: nil))
            }
            var m = subscriber("trial, one service that renews", items: 1)
            trial(m, "AAAAAA", fee: 3000, days: 7, .renew)
            m = subscriber("trial, one service that renews, last free day today", items: 1)
            trial(m, "AAAAAA", fee: 3000, days: 0, .renew)
            m = subscriber("trial, one service that lapses", items: 1)
            trial(m, "AAAAAA", fee: 3000, days: 1, .lapse)
            m = subscriber("trial, three services, two renew and one lapses", items: 3)
            trial(m, "AAAAAA", fee: 3000, days: 1, .renew)
            trial(m, "BBBBBBB", fee: 1250, days: 7, .renew)
            trial(m, "CCCCCCCC", fee: 990, days: 7, .lapse)
            m = subscriber("trial, two services that lapse", items: 2)
            trial(m, "AAAAAA", fee: 3000, days: 1, .lapse)
            trial(m, "BBBBBBB", fee: 1250, days: 5, .lapse)
            m = subscriber("trial, three services, one renews and two lapse", items: 3)
            trial(m, "AAAAAA", fee: 3000, days: 1, .renew)
            trial(m, "BBBBBBB", fee: 1250, days: 5, .lapse)
            trial(m, "CCCCCCCC", fee: 990, days: 7, .lapse)
            m = subscriber("trial, three services that renew", items: 3)
            trial(m, "AAAAAA", fee: 3000, days: 1, .renew)
            trial(m, "BBBBBBB", fee: 1250, days: 5, .renew)
            trial(m, "CCCCCCCC", fee: 990, days: 7, .renew)
            m = subscriber("points, one clearing date", items: 1)
            b.add(PointsRecord(msisdn: m, balance: 99_999, expiring: 99_999, clearingDate: d.adding(days: 30)))
            m = subscriber("points, clearing today", items: 1)
            b.add(PointsRecord(msisdn: m, balance: 99_999, expiring: 99_999, clearingDate: d))
            m = subscriber("points, three clearing dates", items: 3)
            for days in [1, 7, 30] { b.add(PointsRecord(msisdn: m, balance: 99_999, expiring: 99_999, clearingDate: d.adding(days: days))) }
            m = subscriber("month-end summary, one service", items: 1)
            paid(m, "SOLO", name: LintSamples.names[0], fee: 3000)
            m = subscriber("month-end summary, eight services", items: 3)
            for (i, name) in LintSamples.names.enumerated() { paid(m, "MANY\(i)", name: name, fee: 1000 * (i + 1) + 99) }
        }
        let planner = Planner(asOf: d, configuration: rules)
        let messages = planner.messages(b.build(), history: InMemoryKeyHistory()).messages
        cases = messages.compactMap { message in
            guard let (label, brand, items) = labels[message.msisdn], label.hasPrefix(LintSamples.prefix(message.rule)) else { return nil }
            return Case(label: label, brand: brand, items: items, message: message)
        }
    }

    /// Six-character names, the longest of the operator's catalogue.
    static let names = ["咪咕视频会员", "积分商城会员", "新闻早晚报刊", "彩信天气预报", "和教育同步课", "咪咕音乐白金", "手机报早晚版", "和健康问诊包"]

    /// The label prefix of a rule's cases (a subscriber of a trial case also gets a summary, which is not its case).
    static func prefix(_ rule: RuleKind) -> String {
        switch rule {
        case .trialExpiry: "trial"
        case .pointsClearing: "points"
        case .monthEndSummary: "month-end"
        }
    }

    /// Segments a notice of `items` items may take with a template for `brand` (`nil`: a rule's default): one for a
    /// one-item notice (two for 全球通), else the configured budget.
    static func budget(items: Int, brand: Brand?, configured: Int) -> Int {
        items == 1 && brand != .gotone ? min(1, configured) : configured
    }
}
