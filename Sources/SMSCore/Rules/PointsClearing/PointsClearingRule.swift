/// Points-clearing care (SPEC §3.3): staged warnings before loyalty points are cleared.
public struct PointsClearingRule: NoticeRule {
    public static let kind = RuleKind(name: "points-clearing", order: 30)
    public static let title = "积分清零提醒"
    public static let keyKind = "points"

    public let asOf: CalendarDate
    public let stages: [Int]
    public let minExpiring: Int
    /// How to redeem (``redeemHintSetting``).
    public let redeemHint: String
    /// The privilege of each star level 0…5 (``privilegesSetting``).
    let privileges: [String?]

    public init(
        asOf: CalendarDate, stages: [Int], minExpiring: Int, redeemHint: String = PointsClearingRule.redeemHintSetting.defaultValue,
        privileges: [Int: String] = [:]
    ) {
        self.asOf = asOf
        self.stages = stages
        self.minExpiring = minExpiring
        self.redeemHint = redeemHint
        self.privileges = (0...5).map { privileges[$0] }
    }

    public init(asOf: CalendarDate, configuration c: RuleConfiguration) {
        self.init(
            asOf: asOf, stages: c[Self.stagesSetting], minExpiring: c[Self.minExpiringSetting], redeemHint: c[Self.redeemHintSetting],
            privileges: c[Self.privilegesSetting])
    }

    /// The star level's privilege (configured, none by default) belongs to the points notice only.
    public func complete(_ scope: inout TemplateScope, subscriber: Subscriber, stars: Int) {
        let privilege = privileges[min(max(stars, 0), privileges.count - 1)]
        scope.appendNew("privilege", .text(privilege ?? ""))
        scope.appendNew("has_privilege", .flag(privilege != nil))
    }

    public static let schema = TemplateSchema([
        "total_points": .text,
        "balance": .text,
        "first_date": .text,
        "count": .text,
        "several": .flag,
        "redeem_hint": .text,
        "urgent": .flag,
        "privilege": .text,
        "has_privilege": .flag,
        "items": .list(
            TemplateSchema(
                CommonFields.positionFields.merging([
                    "points": .text, "date": .text, "days_left": .text, "balance": .text, "today": .flag,
                ]) { a, _ in a })),
    ])

    public func digest(
        for subscriber: Subscriber, at index: Int, in snapshot: Snapshot, history: some KeyHistory,
        detailed: Bool
    ) -> Digest? {
        let found = dueRows(for: subscriber, at: index, in: snapshot, history: history)
        var due = found.due
        let covered = found.covered
        guard !due.isEmpty else { return covered > 0 ? .covered(covered) : nil }
        let total = due.reduce(0) { $0 + $1.0.expiring }
        // The most urgent stage first, then more points, then higher spend (SPEC v2 §3.3): a quota that holds messages
        // back holds back the 30-day notices before a 1-day one. The planner breaks ties by msisdn.
        let priority = (due.reduce(Int.max) { min($0, $1.2) }, -total, -subscriber.avgMonthlySpend.fen)
        guard detailed else { return Digest(items: due.count, priority: priority, coveredItems: covered) }
        due.sort { $0.0.clearingDate < $1.0.clearingDate }
        let items: [TemplateScope] = due.map { row, daysLeft, _ in
            var item = TemplateScope(capacity: 6)
            item.appendNew("points", .text(TextFormat.points(row.expiring)))
            item.appendNew("date", .text(TextFormat.day(row.clearingDate, asOf: asOf)))
            item.appendNew("today", .flag(row.clearingDate == asOf))
            item.appendNew("days_left", .text(String(daysLeft)))
            item.appendNew("balance", .text(TextFormat.points(row.balance)))
            return item
        }
        let keys = due.map { row, _, stage in
            ItemKey.staged(Self.keyKind, msisdn: subscriber.msisdn, date: row.clearingDate, stage: stage)
        }
        var scope = TemplateScope(capacity: 8 + CommonFields.schema.count)
        scope.appendNew("total_points", .text(TextFormat.points(total)))
        scope.appendNew("balance", .text(TextFormat.points(due[0].0.balance)))
        scope.appendNew("first_date", .text(TextFormat.day(due[0].0.clearingDate, asOf: asOf)))
        scope.appendNew("count", .text(String(due.count)))
        scope.appendNew("several", .flag(due.count > 1))
        scope.appendNew("redeem_hint", .text(redeemHint))
        // The last warning (a 1-day stage or the clearing day itself) says so.
        scope.appendNew("urgent", .flag(priority.0 <= 1))
        scope.appendNew("items", .list(CommonFields.positioned(items)))
        return Digest(items: due.count, keys: keys, scope: scope, priority: priority, coveredItems: covered)
    }

    /// The subscriber's due rows (row, days left, stage) and how many the ledger already covers.
    func dueRows(
        for subscriber: Subscriber, at index: Int, in snapshot: Snapshot,
        history: some KeyHistory
    ) -> (due: [(PointsRecord, Int, Int)], covered: Int) {
        var due: [(PointsRecord, Int, Int)] = []
        var covered = 0
        for row in snapshot.points(at: index) {
            guard row.expiring >= minExpiring else { continue }
            let daysLeft = asOf.days(until: row.clearingDate)
            guard let stage = Stages.stage(daysLeft: daysLeft, stages: stages) else { continue }
            if !history.isEmpty {
                let prefix = ItemKey.staged(Self.keyKind, msisdn: subscriber.msisdn, date: row.clearingDate, stage: nil)
                if history.containsStage(atMost: stage, prefix: prefix) {
                    covered += 1
                    continue
                }
            }
            due.append((row, daysLeft, stage))
        }
        return (due, covered)
    }
}

/// The points-clearing KPIs of the care plan (待清零客户数, 待清零积分数) for one stage: the subscribers a
/// planned warning reaches with an item at that stage, and the points those items would clear.
public struct PointsAtStake: Sendable, Equatable {
    public var subscribers = 0
    public var points = 0

    public init(subscribers: Int = 0, points: Int = 0) {
        self.subscribers = subscribers
        self.points = points
    }
}
