/// What the month-end summary declares besides its digest: settings, keys, samples.
extension MonthEndSummaryRule {
    public static let graceDaysSetting = RuleSetting(
        "summary_grace_days", .wholeNumber(min: 0, max: 27), default: 3,
        doc: "Days into a month in which a missed month-end summary is still sent (SPEC §3.2).")
    public static let maxNamedSetting = RuleSetting(
        "summary_max_named", .wholeNumber(min: 1, max: 5), default: 3,
        doc: "Services a summary names before 等N项 (SPEC: at most 5; 3 keeps a summary within two segments).")
    public static let passiveServicesSetting = RuleSetting(
        "summary_passive_services", .textSet, default: ["彩铃", "视频彩铃", "安全管家", "和彩云", "来电提醒", "和通讯录"],
        doc: "Services one benefits from without using them, by code or name: a summary never marks them unused.")

    public static var settings: [Setting<RuleConfiguration>] {
        [graceDaysSetting.declaration, maxNamedSetting.declaration, passiveServicesSetting.declaration]
    }

    /// `summary:{msisdn}:{YYYY-MM}`.
    public static func key(msisdn: String, month: YearMonth) -> String {
        ItemKey.periodic(keyKind, msisdn: msisdn, period: month.description)
    }

    /// The end of the month's catch-up days (`summary:{msisdn}:{YYYY-MM}`).
    public static func lastUsefulDay(key: String, configuration: RuleConfiguration) -> CalendarDate? {
        guard let (_, period) = ItemKey.lastFields(key, fields: 3), let month = YearMonth(period),
            let first = CalendarDate(year: month.year, month: month.month, day: 1)
        else { return nil }
        return first.adding(days: CalendarDate.daysIn(month: month.month, year: month.year) - 1 + configuration[graceDaysSetting])
    }

    public static var samples: [RuleSample] {
        [
            RuleSample("month-end summary, one service", items: 1) { m, _, b in
                b.add(
                    Subscription(
                        msisdn: m, serviceCode: "SOLO", serviceName: RuleSample.longNames[0], monthlyFee: Money(fen: 3000),
                        status: .active, trialEnd: nil, afterTrial: nil))
            },
            RuleSample("month-end summary, eight services", items: 3) { m, _, b in
                for (i, name) in RuleSample.longNames.enumerated() {
                    b.add(
                        Subscription(
                            msisdn: m, serviceCode: "MANY\(i)", serviceName: name, monthlyFee: Money(fen: 1000 * (i + 1) + 99),
                            status: .active, trialEnd: nil, afterTrial: nil))
                }
            },
        ]
    }
}

extension RuleConfiguration {
    public var summaryGraceDays: Int {
        get { self[MonthEndSummaryRule.graceDaysSetting] }
        set { self[MonthEndSummaryRule.graceDaysSetting] = newValue }
    }
    public var summaryMaxNamed: Int {
        get { self[MonthEndSummaryRule.maxNamedSetting] }
        set { self[MonthEndSummaryRule.maxNamedSetting] = newValue }
    }
    public var summaryPassiveServices: Set<String> {
        get { self[MonthEndSummaryRule.passiveServicesSetting] }
        set { self[MonthEndSummaryRule.passiveServicesSetting] = newValue }
    }
}

extension RuleKind {
    public static let monthEndSummary = MonthEndSummaryRule.kind
}
