/// Finds who must be told what on one day: runs the rules over a snapshot and orders the digests (SPEC §3).
public struct Planner: Sendable {
    public let asOf: CalendarDate
    public let configuration: RuleConfiguration
    let rules: [any NoticeRule]

    public init(asOf: CalendarDate, configuration: RuleConfiguration = RuleConfiguration()) {
        self.asOf = asOf
        self.configuration = configuration
        let all: [any NoticeRule] = [
            TrialExpiryRule(asOf: asOf, stages: configuration.trialStages),
            PointsClearingRule(asOf: asOf, stages: configuration.pointsStages, minExpiring: configuration.minExpiringPoints),
            MonthEndSummaryRule(asOf: asOf, graceDays: configuration.summaryGraceDays, maxNamed: configuration.summaryMaxNamed),
        ]
        rules = all.filter { configuration.enabledRules.contains($0.kind) }
    }

    /// The messages due on `asOf` that `history` does not already cover, in send order, with counts.
    public func plan(_ snapshot: Snapshot, history: some KeyHistory) -> (messages: [PlannedMessage], statistics: PlanStatistics) {
        var messages: [PlannedMessage] = []
        var stats = PlanStatistics()
        for subscriber in snapshot.subscribers {
            for message in plan(subscriber, in: snapshot, history: history, statistics: &stats) {
                messages.append(message)
            }
        }
        messages.sort(by: PlannedMessage.sendsBefore)
        return (messages, stats)
    }

    /// The messages of one subscriber, unordered.
    public func plan(_ subscriber: Subscriber, in snapshot: Snapshot, history: some KeyHistory,
                     statistics stats: inout PlanStatistics) -> [PlannedMessage] {
        var out: [PlannedMessage] = []
        var stars: Int?
        for rule in rules {
            guard let digest = rule.digest(for: subscriber, in: snapshot, history: history) else { continue }
            if subscriber.status != .active {
                stats.suppress(.notActive, rule.kind)
                continue
            }
            if subscriber.dnd && configuration.dndRules.contains(rule.kind) {
                stats.suppress(.dnd, rule.kind)
                continue
            }
            if digest.keys.isEmpty {
                stats.suppress(.alreadyRecorded, rule.kind)
                continue
            }
            let level = stars ?? StarLevel.stars(of: subscriber, on: asOf)
            stars = level
            var scope = digest.scope
            for (name, value) in CommonFields.scope(for: subscriber, stars: level, asOf: asOf, hotline: configuration.hotline) {
                scope[name] = value
            }
            stats.planned[rule.kind, default: 0] += 1
            stats.items[rule.kind, default: 0] += digest.keys.count
            out.append(PlannedMessage(rule: rule.kind, subscriber: subscriber, stars: level,
                                      keys: digest.keys, scope: scope, priority: digest.priority))
        }
        return out
    }

    /// The schema of a rule's templates, common names included.
    public static func schema(for rule: RuleKind) -> TemplateSchema {
        let own: TemplateSchema = switch rule {
        case .trialExpiry: TrialExpiryRule.schema
        case .pointsClearing: PointsClearingRule.schema
        case .monthEndSummary: MonthEndSummaryRule.schema
        }
        return TemplateSchema(own.fields.merging(CommonFields.schema) { a, _ in a })
    }
}
