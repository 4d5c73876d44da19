/// Month-end value-added-service summary (SPEC §3.2): which services a subscriber pays for and how to cancel.
public struct MonthEndSummaryRule: NoticeRule {
    public var kind: RuleKind { .monthEndSummary }
    public let asOf: CalendarDate
    /// The month summarised on `asOf`, or `nil` when no summary is due.
    public let month: YearMonth?
    public let maxNamed: Int
    /// The month as the text reads it, e.g. `11月`.
    let monthText: String
    /// The month as keys write it, `YYYY-MM`.
    let monthKey: String

    public init(asOf: CalendarDate, graceDays: Int, maxNamed: Int) {
        self.asOf = asOf
        let month = MonthEndSummaryRule.dueMonth(asOf: asOf, graceDays: graceDays)
        self.month = month
        self.maxNamed = maxNamed
        monthText = month.map { TextFormat.month($0, asOf: asOf) } ?? ""
        monthKey = month?.description ?? ""
    }

    /// The month end's own month on its last day; the previous month in the first `graceDays` days; else `nil`.
    public static func dueMonth(asOf: CalendarDate, graceDays: Int) -> YearMonth? {
        if asOf.isLastDayOfMonth { return asOf.yearMonth }
        if asOf.day <= graceDays { return asOf.yearMonth.previous }
        return nil
    }

    public static let schema = TemplateSchema([
        "month": .text,
        "count": .text,
        "paid_total": .text,
        "has_paid": .flag,
        "has_trial": .flag,
        "has_unused": .flag,
        "more": .flag,
        "more_count": .text,
        "services": .list(TemplateSchema(CommonFields.positionFields.merging([
            "name": .text, "code": .text, "fee": .text, "trial": .flag, "unused": .flag,
        ]) { a, _ in a })),
    ])

    public func digest(for subscriber: Subscriber, at index: Int, in snapshot: Snapshot, history: some KeyHistory,
                       detailed: Bool) -> Digest? {
        guard let month else { return nil }
        let all = snapshot.subscriptions(at: index)
        guard all.contains(where: { $0.status == .active }) else { return nil }
        if !history.isEmpty && history.contains(ItemKey.summary(msisdn: subscriber.msisdn, monthText: monthKey)) { return .covered(1) }
        guard detailed else { return Digest(items: 1, priority: (0, 0)) }
        let key = ItemKey.summary(msisdn: subscriber.msisdn, monthText: monthKey)
        // Positions in `all` rather than copies of the subscriptions: sorting and dropping them costs less.
        var order: [Int] = []
        order.reserveCapacity(all.count)
        for i in all.indices where all[i].status == .active { order.append(i) }
        order.sort { a, b in
            let (x, y) = (all[a], all[b])
            return x.monthlyFee != y.monthlyFee ? x.monthlyFee > y.monthlyFee : x.serviceCode < y.serviceCode
        }
        let active = order.lazy.map { all[$0] }
        var paidTotal = Money.zero
        var hasTrial = false
        var hasUnused = false
        var services: [TemplateScope] = []
        services.reserveCapacity(min(active.count, maxNamed))
        let position = index
        for (index, sub) in active.enumerated() {
            let trial = sub.isInTrial(on: asOf)
            if !trial { paidTotal = paidTotal + sub.monthlyFee }
            guard index < maxNamed else { continue }
            let unused = !snapshot.wasUsed(at: position, serviceCode: sub.serviceCode, in: month)
            hasTrial = hasTrial || trial
            hasUnused = hasUnused || unused
            services.append([
                "name": .text(sub.serviceName), "code": .text(sub.serviceCode),
                "fee": .text(TextFormat.money(sub.monthlyFee)),
                "trial": .flag(trial), "unused": .flag(unused),
                "first": .flag(index == 0), "last": .flag(index == min(active.count, maxNamed) - 1),
            ])
        }
        let scope: TemplateScope = [
            "month": .text(monthText),
            "count": .text(String(active.count)),
            "paid_total": .text(TextFormat.money(paidTotal)),
            "has_paid": .flag(paidTotal.fen > 0),
            "has_trial": .flag(hasTrial),
            "has_unused": .flag(hasUnused),
            "more": .flag(active.count > maxNamed),
            "more_count": .text(String(max(0, active.count - maxNamed))),
            "services": .list(services),
        ]
        return Digest(items: 1, keys: [key], scope: scope, priority: (0, 0))
    }
}
