import SMSCore

/// The circuit breaker of SPEC §8: the same 4xx for many different numbers in a row says the gateway is set up
/// wrong, not that the numbers are bad.
///
/// Each rejection is settled `rejected` at once (a crash must not send it again) and remembered here while it
/// belongs to a streak of one status. Another outcome or another status starts over; a streak that reaches
/// ``limit`` different numbers trips the breaker, and its messages go back to the queue, so that nothing stays
/// rejected for the gateway's fault.
struct RejectionStreak {
    struct Entry {
        var seq: Int
        var rule: RuleKind
        var msisdn: String
        var status: Int
    }

    /// Different numbers with the same status in a row that trip the breaker.
    let limit: Int
    private(set) var entries: [Entry] = []
    private var distinct: Set<String> = []

    init(limit: Int) { self.limit = max(1, limit) }

    /// The status of the streak, if one is running.
    var status: Int? { entries.first?.status }

    /// Different numbers in the streak.
    var numbers: Int { distinct.count }

    /// True once the streak spans ``limit`` different numbers.
    var tripped: Bool { distinct.count >= limit }

    /// Adds a rejection; one of another status starts a new streak.
    mutating func add(_ entry: Entry) {
        if let status, status != entry.status { reset() }
        entries.append(entry)
        distinct.insert(entry.msisdn)
    }

    /// Another outcome came: the streak is over (its rejections stand).
    mutating func reset() {
        entries = []
        distinct = []
    }

    /// Ends a tripped streak; returns its rejections, to be put back in the queue.
    mutating func end() -> [Entry] {
        defer { reset() }
        return entries
    }
}
