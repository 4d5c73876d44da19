/// The keys already recorded in the ledger, as the planner asks about them.
public protocol KeyHistory {
    /// True when nothing is recorded (lets the planner skip building keys to look up).
    var isEmpty: Bool { get }
    /// True when exactly `key` is recorded.
    func contains(_ key: String) -> Bool
    /// True when a key `prefix + s` is recorded with a stage `s` ≤ `stage`.
    func containsStage(atMost stage: Int, prefix: String) -> Bool
}

/// A key history held in memory: an empty ledger, a dry run's view, or keys loaded from a ledger.
public struct InMemoryKeyHistory: KeyHistory, Sendable {
    private var exact: Set<String> = []
    private var lowestStage: [Substring: Int] = [:]

    public init<S: Sequence>(keys: S) where S.Element == String {
        for key in keys { insert(key) }
    }

    public init() {}

    public mutating func insert(_ key: String) {
        exact.insert(key)
        if let (prefix, stage) = ItemKey.splitStage(key) {
            lowestStage[prefix] = min(stage, lowestStage[prefix] ?? .max)
        }
    }

    public var count: Int { exact.count }
    public var isEmpty: Bool { exact.isEmpty }

    public func contains(_ key: String) -> Bool { exact.contains(key) }

    public func containsStage(atMost stage: Int, prefix: String) -> Bool {
        guard let lowest = lowestStage[Substring(prefix)] else { return false }
        return lowest <= stage
    }
}
