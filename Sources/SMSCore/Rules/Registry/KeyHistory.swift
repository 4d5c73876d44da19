/// The keys already recorded in the ledger, as the planner asks about them.
public protocol KeyHistory {
    /// True when nothing is recorded (lets the planner skip building keys to look up).
    var isEmpty: Bool { get }
    /// True when exactly `key` is recorded.
    func contains(_ key: String) -> Bool
    /// True when a key `prefix + s` is recorded with a stage `s` ≤ `stage`.
    func containsStage(atMost stage: Int, prefix: String) -> Bool
    /// The earliest deadline of the staged keys `group + {date}:{stage}` recorded, for rules that note a moved
    /// deadline (``NoticeRule/notesMovedDeadlines``); `nil` when none is.
    func earliestDeadline(group: String) -> CalendarDate?
}
