/// Month-end value-added-service summary (SPEC §3.2): which services a subscriber pays for and how to cancel.
public struct MonthEndSummaryRule: NoticeRule {
    public static let kind = RuleKind(name: "month-end-summary", order: 40)
    public static let title = "月末增值业务提醒"
    public static let keyKind = "summary"
    public let asOf: CalendarDate
    /// The month summarised on `asOf`, or `nil` when no summary is due.
    public let month: YearMonth?
    public let maxNamed: Int
    /// Services never marked unused, by code or name (``RuleConfiguration/summaryPassiveServices``).
    public let passive: Set<String>
    /// The month as the text reads it, e.g. `11月`.
    let monthText: String
    /// The month as keys write it, `YYYY-MM`.
    let monthKey: String

    public init(asOf: CalendarDate, graceDays: Int, maxNamed: Int, passive: Set<String> = []) {
        self.asOf = asOf
        self.passive = passive
        let month = MonthEndSummaryRule.dueMonth(asOf: asOf, graceDays: graceDays)
        self.month = month
        self.maxNamed = maxNamed
        monthText = month.map { TextFormat.month($0, asOf: asOf) } ?? ""
        monthKey = month?.description ?? ""
    }

    public init(asOf: CalendarDate, configuration c: RuleConfiguration) {
        self.init(asOf: asOf, graceDays: c[Self.graceDaysSetting], maxNamed: c[Self.maxNamedSetting], passive: c[Self.passiveServicesSetting])
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
        "single": .flag,
        "services": .list(
            TemplateSchema(
                CommonFields.positionFields.merging([
                    "name": .text, "code": .text, "fee": .text, "trial": .flag, "unused": .flag,
                ]) { a, _ in a })),
    ])

    public func digest(
        for subscriber: Subscriber, at index: Int, in snapshot: Snapshot, history: some KeyHistory,
        detailed: Bool
    ) -> Digest? {
        guard let month else { return nil }
        let all = snapshot.subscriptions(at: index)
        guard all.contains(where: { $0.status == .active }) else { return nil }
        if !history.isEmpty && history.contains(ItemKey.periodic(Self.keyKind, msisdn: subscriber.msisdn, period: monthKey)) { return .covered(1) }
        guard detailed else { return Digest(items: 1, priority: (0, 0, 0)) }
        let key = ItemKey.periodic(Self.keyKind, msisdn: subscriber.msisdn, period: monthKey)
        return all.withUnsafeBufferPointer { all in
            detailedDigest(for: subscriber, at: index, all: all, key: key, month: month, in: snapshot)
        }
    }

    /// The keys and values of a due summary. The subscriptions are read in place (no copy of one, which would
    /// retain its strings) and sorted as positions.
    private func detailedDigest(
        for subscriber: Subscriber, at index: Int, all: UnsafeBufferPointer<Subscription>,
        key: String, month: YearMonth, in snapshot: Snapshot
    ) -> Digest {
        var order: [Int] = []
        order.reserveCapacity(all.count)
        for i in all.indices where all[i].status == .active { order.append(i) }
        order.sort { a, b in
            all[a].monthlyFee != all[b].monthlyFee ? all[a].monthlyFee > all[b].monthlyFee : all[a].serviceCode < all[b].serviceCode
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
            let unused =
                !snapshot.wasUsed(at: position, serviceCode: sub.serviceCode, in: month)
                && (passive.isEmpty || !(passive.contains(sub.serviceCode) || passive.contains(sub.serviceName)))
            hasTrial = hasTrial || trial
            hasUnused = hasUnused || unused
            var service = TemplateScope(capacity: 7)
            service.appendNew("name", .text(sub.serviceName))
            service.appendNew("code", .text(sub.serviceCode))
            service.appendNew("fee", .text(TextFormat.money(sub.monthlyFee)))
            service.appendNew("trial", .flag(trial))
            service.appendNew("unused", .flag(unused))
            service.appendNew("first", .flag(index == 0))
            service.appendNew("last", .flag(index == min(active.count, maxNamed) - 1))
            services.append(service)
        }
        // Filled name by name rather than from a literal: three of every four messages of a month end are summaries.
        var scope = TemplateScope(capacity: 10 + CommonFields.schema.count)
        scope.appendNew("month", .text(monthText))
        scope.appendNew("count", .text(String(active.count)))
        scope.appendNew("paid_total", .text(TextFormat.money(paidTotal)))
        scope.appendNew("has_paid", .flag(paidTotal.fen > 0))
        scope.appendNew("has_trial", .flag(hasTrial))
        scope.appendNew("has_unused", .flag(hasUnused))
        scope.appendNew("more", .flag(active.count > maxNamed))
        scope.appendNew("more_count", .text(String(max(0, active.count - maxNamed))))
        scope.appendNew("single", .flag(active.count == 1))
        scope.appendNew("services", .list(services))
        return Digest(items: 1, keys: [key], scope: scope, priority: (0, 0, 0))
    }
}
