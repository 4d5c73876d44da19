/// Finds who must be told what on one day: runs the rules over a snapshot and orders the digests (SPEC §3).
///
/// Planning has two passes so that a province fits in memory: ``plan(_:history:)`` finds every due digest with only
/// its counts and priority (a small ``PlanEntry``) and sorts them; ``message(for:in:history:)`` then builds one
/// message's keys and template values when it is rendered.
public struct Planner: Sendable {
    public let asOf: CalendarDate
    public let configuration: RuleConfiguration
    public let registry: RuleRegistry
    /// The enabled rules, configured for the day, in send order.
    let rules: [any NoticeRule]
    /// Their kinds.
    let kinds: [RuleKind]
    /// Per rule: true when it skips subscribers who asked not to be disturbed.
    let respectsDND: [Bool]
    let today: String

    public init(asOf: CalendarDate, configuration: RuleConfiguration = RuleConfiguration(), registry: RuleRegistry = .standard) {
        self.asOf = asOf
        self.configuration = configuration
        self.registry = registry
        let enabled = registry.rules.filter { configuration.isEnabled($0.kind) }
        rules = enabled.map { $0.init(asOf: asOf, configuration: configuration) }
        kinds = enabled.map { $0.kind }
        respectsDND = enabled.map { configuration.respectsDND($0.kind, mandatory: $0.isMandatory) }
        today = TextFormat.date(asOf, asOf: asOf)
    }

    /// The rule of a planned entry.
    public func rule(of entry: PlanEntry) -> RuleKind { kinds[Int(entry.rule)] }

    /// Every message due on `asOf` that `history` does not already cover, in send order, with counts.
    /// Only subscribers of `shard` are planned.
    public func plan(
        _ snapshot: Snapshot, history: some KeyHistory,
        shard: Shard = .all
    ) -> (entries: [PlanEntry], statistics: PlanStatistics) {
        plan(snapshot, history: history, shard: shard, subscribers: 0..<snapshot.subscribers.count)
    }

    /// The entries of the subscribers at `subscribers` (positions in the snapshot) in send order, with their counts.
    /// Parts planned apart (on several threads) join with ``merge(_:)``.
    public func plan(
        _ snapshot: Snapshot, history: some KeyHistory, shard: Shard,
        subscribers: Range<Int>
    ) -> (entries: [PlanEntry], statistics: PlanStatistics) {
        var entries: [PlanEntry] = []
        var stats = PlanStatistics()
        // Counted per rule position in plain arrays (a dictionary update per message costs a hash), added up after.
        var planned = [Int](repeating: 0, count: rules.count)
        var items = [Int](repeating: 0, count: rules.count)
        for index in subscribers {
            let subscriber = snapshot.subscribers[index]
            let number = Msisdn.number(subscriber.msisdn)
            if !shard.contains(number: number) { continue }
            for r in rules.indices {
                guard let digest = rules[r].digest(for: subscriber, at: index, in: snapshot, history: history, detailed: false) else { continue }
                if subscriber.status != .active {
                    stats.suppress(.notActive, kinds[r])
                    continue
                }
                if subscriber.dnd && respectsDND[r] {
                    stats.suppress(.dnd, kinds[r])
                    continue
                }
                if digest.items == 0 {
                    stats.suppress(.alreadyRecorded, kinds[r])
                    continue
                }
                planned[r] += 1
                items[r] += digest.items
                entries.append(PlanEntry(subscriber: Int32(index), rule: Int32(r), priority: digest.priority, msisdn: number))
            }
        }
        for (r, rule) in kinds.enumerated() where planned[r] > 0 {
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
        let rule = rules[Int(entry.rule)]
        var digest = rule.digest(for: subscriber, at: index, in: snapshot, history: history, detailed: true)!
        let stars = StarLevel.stars(of: subscriber, on: asOf)
        // Added to the digest's own scope (a copy would be copied again on the first change).
        CommonFields.add(to: &digest.scope, subscriber: subscriber, stars: stars, today: today, hotline: configuration.hotline)
        rule.complete(&digest.scope, subscriber: subscriber, stars: stars)
        return PlannedMessage(
            rule: kinds[Int(entry.rule)], subscriber: subscriber, stars: stars, keys: digest.keys, scope: digest.scope,
            priority: digest.priority)
    }

    /// The configured rule of `kind`, when it is enabled (for what only that rule can say, e.g. points at stake).
    public func rule<R: NoticeRule>(_ type: R.Type) -> R? {
        kinds.firstIndex(of: R.kind).flatMap { rules[$0] as? R }
    }

    /// The entries of one rule.
    public func entries(_ entries: [PlanEntry], of kind: RuleKind) -> some Sequence<PlanEntry> {
        let position = kinds.firstIndex(of: kind).map(Int32.init) ?? -1
        return entries.lazy.filter { $0.rule == position }
    }

    /// Every message in send order, built at once (for small snapshots and tests).
    public func messages(_ snapshot: Snapshot, history: some KeyHistory) -> (messages: [PlannedMessage], statistics: PlanStatistics) {
        let (entries, stats) = plan(snapshot, history: history)
        return (entries.map { message(for: $0, in: snapshot, history: history) }, stats)
    }
}
