/// A key history held in memory: an empty ledger, a dry run's view, or keys loaded from a ledger.
public struct InMemoryKeyHistory: KeyHistory, Sendable {
    private var exact: Set<String> = []
    private var lowestStage: [Substring: Int] = [:]
    private var deadlines: [Substring: CalendarDate] = [:]
    /// The key kinds whose deadlines are kept (only those: a province's history holds millions of other keys).
    private let deadlineKinds: [String]

    public init<S: Sequence>(keys: S, registry: RuleRegistry = .standard) where S.Element == String {
        self.init(registry: registry)
        for key in keys { insert(key) }
    }

    public init(registry: RuleRegistry = .standard) {
        deadlineKinds = registry.rules.filter { $0.notesMovedDeadlines }.map { $0.keyKind + ":" }
    }

    public mutating func insert(_ key: String) {
        exact.insert(key)
        guard let (prefix, stage) = ItemKey.splitStage(key) else { return }
        lowestStage[prefix] = min(stage, lowestStage[prefix] ?? .max)
        if !deadlineKinds.isEmpty, deadlineKinds.contains(where: { key.hasPrefix($0) }), let (group, date) = ItemKey.splitDeadline(prefix) {
            deadlines[group] = min(date, deadlines[group] ?? date)
        }
    }

    public var count: Int { exact.count }
    public var isEmpty: Bool { exact.isEmpty }

    public func contains(_ key: String) -> Bool { exact.contains(key) }

    public func containsStage(atMost stage: Int, prefix: String) -> Bool {
        guard let lowest = lowestStage[Substring(prefix)] else { return false }
        return lowest <= stage
    }

    public func earliestDeadline(group: String) -> CalendarDate? { deadlines[Substring(group)] }
}
