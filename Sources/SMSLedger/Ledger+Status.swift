import SMSCore

/// What the ledger holds, for `smsbatch status`.
public struct LedgerStatus: Sendable {
    /// Messages per state and rule.
    public var counts: [MessageState: [RuleKind: Int]] = [:]
    /// The earliest day a waiting message is due, if any.
    public var oldestWaitingDay: String?
    /// Recent failures: msisdn (whole; mask before showing), rule, state, status, reason.
    public var problems: [(msisdn: String, rule: String, state: String, status: Int?, reason: String)] = []
    public var items = 0

    public func total(_ state: MessageState) -> Int { counts[state]?.values.reduce(0, +) ?? 0 }
}

extension Ledger {
    public func status(problemLimit: Int = 20) throws(LedgerError) -> LedgerStatus {
        try guarded {
            var status = LedgerStatus()
            let grouped = try db.prepare("SELECT state, rule, count(*) FROM messages GROUP BY state, rule")
                .rows([]) { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2)) }
            for (state, rule, n) in grouped {
                guard let s = MessageState(rawValue: state), let r = RuleKind(rawValue: rule) else { continue }
                status.counts[s, default: [:]][r] = n
            }
            status.oldestWaitingDay = try db.prepare("SELECT min(due_day) FROM messages WHERE state IN ('queued','deferred','sending')")
                .rows { $0.text(0) }.first ?? nil
            status.problems = try db.prepare("""
                SELECT msisdn, rule, state, reply_status, last_error FROM messages
                WHERE last_error IS NOT NULL AND state != 'sent' ORDER BY updated_at DESC LIMIT ?
                """).rows([.int(problemLimit)]) { s in
                (s.text(0) ?? "", s.text(1) ?? "", s.text(2) ?? "", s.isNull(3) ? nil : s.int(3), s.text(4) ?? "")
            }
            status.items = try db.prepare("SELECT count(*) FROM items").rows { $0.int(0) }.first ?? 0
            return status
        }
    }

    /// Every message in plan order: id, msisdn, rule, keys, state (for tests and audits).
    public func allMessages() throws(LedgerError) -> [(id: String, msisdn: String, rule: String, keys: [String], state: String, attempts: Int)] {
        try guarded {
            try db.prepare("SELECT id, msisdn, rule, keys, state, attempts FROM messages ORDER BY seq").rows { s in
                (s.text(0) ?? "", s.text(1) ?? "", s.text(2) ?? "", (s.text(3) ?? "").split(separator: "\n").map(String.init),
                 s.text(4) ?? "", s.int(5))
            }
        }
    }
}
