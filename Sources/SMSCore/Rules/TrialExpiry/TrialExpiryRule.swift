/// Free-trial expiry reminder (SPEC §3.1): a mandatory notice before a value-added service starts charging.
public struct TrialExpiryRule: NoticeRule {
    public static let kind = RuleKind(name: "trial-expiry", order: 10)
    public static let title = "免费业务到期提醒"
    /// The notice before charging is mandatory: it ignores `dnd` and the per-subscriber cap.
    public static let isMandatory = true
    public static let keyKind = "trial"

    public let asOf: CalendarDate
    public let stages: [Int]

    public init(asOf: CalendarDate, stages: [Int]) {
        self.asOf = asOf
        self.stages = stages
    }

    public init(asOf: CalendarDate, configuration: RuleConfiguration) {
        self.init(asOf: asOf, stages: configuration[Self.stagesSetting])
    }

    /// What a template can say of one service in trial.
    static let service = TemplateSchema(
        CommonFields.positionFields.merging([
            "name": .text, "code": .text, "fee": .text,
            "last_free_day": .text, "charge_from": .text, "days_left": .text,
            "ends_today": .flag, "renew": .flag, "lapse": .flag, "free": .flag,
        ]) { a, _ in a })

    /// `services` lists every due service; `renewing` and `lapsing` list them by what happens after the trial, so a
    /// digest with both kinds puts each action next to its own services. `last_free_day` reads 今天 on the day.
    public static let schema = TemplateSchema([
        "count": .text,
        "several": .flag,
        "has_renew": .flag,
        "has_lapse": .flag,
        "mixed": .flag,
        "several_renewing": .flag,
        "several_lapsing": .flag,
        "services": .list(service),
        "renewing": .list(service),
        "lapsing": .list(service),
    ])

    public func digest(
        for subscriber: Subscriber, at index: Int, in snapshot: Snapshot, history: some KeyHistory,
        detailed: Bool
    ) -> Digest? {
        var due: [(Subscription, CalendarDate, Int, Int)] = []
        var covered = 0
        for sub in snapshot.subscriptions(at: index) {
            guard sub.status == .active, let end = sub.trialEnd else { continue }
            // A renewing trial of a free service changes nothing for the subscriber: no notice (SPEC v2 §3.1).
            if sub.afterTrial == .renew && sub.monthlyFee == .zero { continue }
            let daysLeft = asOf.days(until: end)
            guard let stage = Stages.stage(daysLeft: daysLeft, stages: stages) else { continue }
            if !history.isEmpty {
                let prefix = Self.key(msisdn: subscriber.msisdn, serviceCode: sub.serviceCode, trialEnd: end, stage: nil)
                if history.containsStage(atMost: stage, prefix: prefix) {
                    covered += 1
                    continue
                }
            }
            due.append((sub, end, daysLeft, stage))
        }
        guard !due.isEmpty else { return covered > 0 ? .covered(covered) : nil }
        let earliest = due.map(\.1.dayNumber).min()!
        guard detailed else { return Digest(items: due.count, priority: (earliest, 0, 0), coveredItems: covered) }
        due.sort { ($0.1, $0.0.serviceCode) < ($1.1, $1.0.serviceCode) }
        let services: [TemplateScope] = due.map { sub, end, daysLeft, _ in
            [
                "name": .text(sub.serviceName),
                "code": .text(sub.serviceCode),
                "fee": .text(TextFormat.money(sub.monthlyFee)),
                "last_free_day": .text(TextFormat.day(end, asOf: asOf)),
                "charge_from": .text(TextFormat.date(end.adding(days: 1), asOf: asOf)),
                "days_left": .text(String(daysLeft)),
                "ends_today": .flag(daysLeft == 0),
                "renew": .flag(sub.afterTrial == .renew),
                "lapse": .flag(sub.afterTrial == .lapse),
                "free": .flag(sub.monthlyFee == .zero),
            ]
        }
        let keys = due.map { sub, end, _, stage in
            Self.key(msisdn: subscriber.msisdn, serviceCode: sub.serviceCode, trialEnd: end, stage: stage)
        }
        let renewing = zip(due, services).filter { $0.0.0.afterTrial == .renew }.map(\.1)
        let lapsing = zip(due, services).filter { $0.0.0.afterTrial == .lapse }.map(\.1)
        let scope: TemplateScope = [
            "count": .text(String(due.count)),
            "several": .flag(due.count > 1),
            "has_renew": .flag(!renewing.isEmpty),
            "has_lapse": .flag(!lapsing.isEmpty),
            "mixed": .flag(!renewing.isEmpty && !lapsing.isEmpty),
            "several_renewing": .flag(renewing.count > 1),
            "several_lapsing": .flag(lapsing.count > 1),
            "services": .list(CommonFields.positioned(services)),
            "renewing": .list(CommonFields.positioned(renewing)),
            "lapsing": .list(CommonFields.positioned(lapsing)),
        ]
        return Digest(items: due.count, keys: keys, scope: scope, priority: (earliest, 0, 0), coveredItems: covered)
    }
}
