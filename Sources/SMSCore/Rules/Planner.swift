/// Finds who must be told what on one day: runs the rules over a snapshot and orders the digests (SPEC §3).
///
/// Planning has two passes so that a province fits in memory: ``plan(_:history:)`` finds every due digest with only
/// its counts and priority (a small ``PlanEntry``) and sorts them; ``message(for:in:history:)`` then builds one
/// message's keys and template values when it is rendered.
public struct Planner: Sendable {
    public let asOf: CalendarDate
    public let configuration: RuleConfiguration
    /// The enabled rules, in rule order.
    let rules: [RuleKind]
    /// The three rules as their own types: called directly (and specialised), not through `any NoticeRule`,
    /// whose copy per subscriber and rule retains each rule's stored values.
    let trialExpiry: TrialExpiryRule
    let pointsClearing: PointsClearingRule
    let monthEndSummary: MonthEndSummaryRule
    let today: String
    /// ``RuleConfiguration/starPrivileges`` by star level 0…5.
    let privileges: [String?]

    public init(asOf: CalendarDate, configuration: RuleConfiguration = RuleConfiguration()) {
        self.asOf = asOf
        self.configuration = configuration
        trialExpiry = TrialExpiryRule(asOf: asOf, stages: configuration.trialStages)
        pointsClearing = PointsClearingRule(asOf: asOf, stages: configuration.pointsStages, minExpiring: configuration.minExpiringPoints,
                                            redeemHint: configuration.pointsRedeemHint)
        monthEndSummary = MonthEndSummaryRule(asOf: asOf, graceDays: configuration.summaryGraceDays, maxNamed: configuration.summaryMaxNamed,
                                              passive: configuration.summaryPassiveServices)
        rules = RuleKind.allCases.filter { configuration.enabledRules.contains($0) }
        today = TextFormat.date(asOf, asOf: asOf)
        privileges = (0...5).map { configuration.starPrivileges[$0] }
    }

    /// Every message due on `asOf` that `history` does not already cover, in send order, with counts.
    /// Only subscribers of `shard` are planned.
    public func plan(_ snapshot: Snapshot, history: some KeyHistory,
                     shard: Shard = .all) -> (entries: [PlanEntry], statistics: PlanStatistics) {
        plan(snapshot, history: history, shard: shard, subscribers: 0..<snapshot.subscribers.count)
    }

    /// The entries of the subscribers at `subscribers` (positions in the snapshot) in send order, with their counts.
    /// Parts planned apart (on several threads) join with ``merge(_:)``.
    public func plan(_ snapshot: Snapshot, history: some KeyHistory, shard: Shard,
                     subscribers: Range<Int>) -> (entries: [PlanEntry], statistics: PlanStatistics) {
        var entries: [PlanEntry] = []
        var stats = PlanStatistics()
        // Counted per rule position in plain arrays (a dictionary update per message costs a hash), added up after.
        var planned = [Int](repeating: 0, count: rules.count)
        var items = [Int](repeating: 0, count: rules.count)
        for index in subscribers {
            let subscriber = snapshot.subscribers[index]
            let number = Msisdn.number(subscriber.msisdn)
            if !shard.contains(number: number) { continue }
            for (r, rule) in rules.enumerated() {
                guard let digest = digest(rule, for: subscriber, at: index, in: snapshot, history: history, detailed: false) else { continue }
                if subscriber.status != .active {
                    stats.suppress(.notActive, rule)
                    continue
                }
                if subscriber.dnd && configuration.dndRules.contains(rule) {
                    stats.suppress(.dnd, rule)
                    continue
                }
                if digest.items == 0 {
                    stats.suppress(.alreadyRecorded, rule)
                    continue
                }
                planned[r] += 1
                items[r] += digest.items
                entries.append(PlanEntry(subscriber: Int32(index), rule: rule, priority: digest.priority,
                                         msisdn: number))
            }
        }
        for (r, rule) in rules.enumerated() where planned[r] > 0 {
            stats.planned[rule, default: 0] += planned[r]
            stats.items[rule, default: 0] += items[r]
        }
        entries.sort(by: PlanEntry.sendsBefore)
        return (entries, stats)
    }

    /// Joins parts planned apart (each in send order): every entry in send order, the counts added up.
    public static func merge(_ parts: [(entries: [PlanEntry], statistics: PlanStatistics)]) -> (entries: [PlanEntry], statistics: PlanStatistics) {
        var stats = PlanStatistics()
        for part in parts { stats.add(part.statistics) }
        var entries = parts.first?.entries ?? []
        for part in parts.dropFirst() {
            var merged: [PlanEntry] = []
            merged.reserveCapacity(entries.count + part.entries.count)
            var i = 0, j = 0
            while i < entries.count, j < part.entries.count {
                if PlanEntry.sendsBefore(part.entries[j], entries[i]) {
                    merged.append(part.entries[j]); j += 1
                } else {
                    merged.append(entries[i]); i += 1
                }
            }
            merged += entries[i...]
            merged += part.entries[j...]
            entries = merged
        }
        return (entries, stats)
    }

    /// The full message of an entry: keys, stars and template values.
    public func message(for entry: PlanEntry, in snapshot: Snapshot, history: some KeyHistory) -> PlannedMessage {
        let index = Int(entry.subscriber)
        let subscriber = snapshot.subscribers[index]
        var digest = digest(entry.rule, for: subscriber, at: index, in: snapshot, history: history, detailed: true)!
        let stars = StarLevel.stars(of: subscriber, on: asOf)
        // Added to the digest's own scope (a copy would be copied again on the first change).
        CommonFields.add(to: &digest.scope, subscriber: subscriber, stars: stars, today: today, hotline: configuration.hotline)
        if entry.rule == .pointsClearing {
            // The star level's privilege (configured, none by default) belongs to the points notice only.
            let privilege = privileges[min(max(stars, 0), privileges.count - 1)]
            digest.scope.appendNew("privilege", .text(privilege ?? ""))
            digest.scope.appendNew("has_privilege", .flag(privilege != nil))
        }
        return PlannedMessage(rule: entry.rule, subscriber: subscriber, stars: stars, keys: digest.keys, scope: digest.scope,
                              priority: digest.priority)
    }

    /// The digest of `rule` (see ``NoticeRule/digest(for:at:in:history:detailed:)``).
    @inline(__always)
    func digest(_ rule: RuleKind, for subscriber: Subscriber, at index: Int, in snapshot: Snapshot, history: some KeyHistory,
                detailed: Bool) -> Digest? {
        switch rule {
        case .trialExpiry: trialExpiry.digest(for: subscriber, at: index, in: snapshot, history: history, detailed: detailed)
        case .pointsClearing: pointsClearing.digest(for: subscriber, at: index, in: snapshot, history: history, detailed: detailed)
        case .monthEndSummary: monthEndSummary.digest(for: subscriber, at: index, in: snapshot, history: history, detailed: detailed)
        }
    }

    /// Every message in send order, built at once (for small snapshots and tests).
    public func messages(_ snapshot: Snapshot, history: some KeyHistory) -> (messages: [PlannedMessage], statistics: PlanStatistics) {
        let (entries, stats) = plan(snapshot, history: history)
        return (entries.map { message(for: $0, in: snapshot, history: history) }, stats)
    }

    /// The points at stake per stage (the care plan's KPIs) in the planned points-clearing messages of `entries`.
    public func pointsAtStake(_ entries: [PlanEntry], in snapshot: Snapshot, history: some KeyHistory) -> [Int: PointsAtStake] {
        var stakes: [Int: PointsAtStake] = [:]
        for entry in entries where entry.rule == .pointsClearing {
            let index = Int(entry.subscriber)
            var stages: Set<Int> = []
            for (row, _, stage) in pointsClearing.dueRows(for: snapshot.subscribers[index], at: index, in: snapshot, history: history).due {
                stakes[stage, default: PointsAtStake()].points += row.expiring
                stages.insert(stage)
            }
            for stage in stages { stakes[stage, default: PointsAtStake()].subscribers += 1 }
        }
        return stakes
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

/// A due digest as the first planning pass keeps it: 40 bytes, enough to order it.
public struct PlanEntry: Sendable {
    /// Position of the subscriber in the snapshot.
    public let subscriber: Int32
    public let rule: RuleKind
    let priority: (Int, Int, Int)
    let msisdn: UInt64

    /// The send order of SPEC §3.4: rule, the rule's priority, then msisdn.
    static func sendsBefore(_ a: PlanEntry, _ b: PlanEntry) -> Bool {
        if a.rule != b.rule { return a.rule < b.rule }
        if a.priority != b.priority { return a.priority < b.priority }
        return a.msisdn < b.msisdn
    }
}
