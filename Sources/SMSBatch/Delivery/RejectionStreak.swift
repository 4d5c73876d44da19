import SMSCore
import SMSLedger

/// The circuit breaker of SPEC §8: the same 4xx for many different numbers in a row says the gateway is set up
/// wrong, not that the numbers are bad.
///
/// Rejections are held back here while they form a streak of one status. A different outcome ends the streak and
/// its rejections are settled for good; a streak that reaches ``limit`` different numbers trips the breaker and
/// its messages go back to the queue instead, so that nothing is marked rejected for the gateway's fault.
struct RejectionStreak {
    struct Entry {
        var seq: Int
        var rule: RuleKind
        var msisdn: String
        var status: Int
        var reply: String
    }

    /// Different numbers with the same status in a row that trip the breaker.
    let limit: Int
    private(set) var entries: [Entry] = []
    private var numbers: Set<String> = []

    init(limit: Int) { self.limit = max(1, limit) }

    /// The status of the streak, if one is held.
    var status: Int? { entries.first?.status }

    /// True once the streak spans ``limit`` different numbers.
    var tripped: Bool { numbers.count >= limit }

    /// Adds a rejection; returns the rejections of an earlier streak (another status), which are final now.
    mutating func add(_ entry: Entry) -> [Entry] {
        var ended: [Entry] = []
        if let status, status != entry.status { ended = end() }
        entries.append(entry)
        numbers.insert(entry.msisdn)
        return ended
    }

    /// Ends the streak (another outcome came, or the delivery is over); returns its rejections.
    mutating func end() -> [Entry] {
        defer {
            entries = []
            numbers = []
        }
        return entries
    }
}
