import SMSCore

extension SQLiteLedger {
    /// Settles what a run that died left `sending` (this process holds the lock, so no one else is sending): what
    /// its claim's file holds is `sent`, the rest goes back to the queue under the same id. Their quota counts
    /// (`sent_day`) are cleared, so today's counts hold only what was really sent.
    public func recoverInterrupted(
        timestamp: String, worker: String, written: (_ tag: String) throws(LedgerError) -> Set<String>?
    ) throws(LedgerError) -> Recovery {
        try guarded {
            try db.transaction {
                var recovery = Recovery()
                let tagged = try db.prepare(
                    """
                    SELECT m.seq, b.id, m.gateway_message_id FROM messages m JOIN bodies b ON b.seq = m.seq
                    WHERE m.state IN ('queued','deferred','sending') AND m.state = 'sending' AND m.gateway_message_id IS NOT NULL
                    """
                ).rows { (seq: $0.int(0), id: $0.text(1) ?? "", tag: $0.text(2) ?? "") }
                let found = try Recovery.foundWritten(tagged, written: written)
                let sent = try db.prepare("UPDATE messages SET state='sent', sent_at=?, updated_at=?, last_error=NULL WHERE seq=?")
                for seq in found { try sent.run([.text(timestamp), .text(timestamp), .int(seq)]) }
                recovery.foundWritten = found.count
                try db.prepare(
                    """
                    UPDATE messages SET state='queued', sent_day=NULL, gateway_message_id=NULL, updated_at=?, last_error=?
                    WHERE state IN ('queued','deferred','sending') AND state='sending'
                    """
                ).run([.text(timestamp), .text(DeliveryPolicy.interruptedReason)])
                recovery.requeued = db.changes
                return recovery
            }
        }
    }

    /// Marks messages a quota held back (`deferred`) as `expired` once the date their notice announces has passed.
    /// Messages that were simply waiting for the window (`queued`) are always delivered.
    public func expire(before day: String, timestamp: String) throws(LedgerError) -> Int {
        try guarded {
            try db.transaction {
                try db.prepare(
                    "UPDATE messages SET state='expired', updated_at=? WHERE state IN ('queued','deferred','sending') AND state = 'deferred' AND expires_day IS NOT NULL AND expires_day < ?"
                )
                .run([.text(timestamp), .text(day)])
                return db.changes
            }
        }
    }

    /// Waiting messages that may go out on `day`, in plan order, after `afterSeq`. Reads the table in `seq` order
    /// (the `+` keeps SQLite from sorting the state index), so a pass over the queue costs one scan.
    public func deliverable(on day: String, afterSeq: Int, limit: Int) throws(LedgerError) -> [LedgerMessage] {
        try guarded {
            try db.prepare(
                """
                SELECT m.seq, b.id, m.msisdn, m.rule, b.keys, b.text, b.units, b.segments, b.stars, b.brand, b.template,
                    m.state, m.attempts, m.due_day
                FROM messages m JOIN bodies b ON b.seq = m.seq
                WHERE m.seq > ? AND +m.state IN ('queued','deferred') AND +m.due_day <= ? ORDER BY m.seq LIMIT ?
                """
            ).rows([.int(afterSeq), .text(day), .int(limit)]) { s in
                Result { () throws(LedgerError) in
                    try LedgerMessage(columns: { s.text(Int32($0)) }, { s.int(Int32($0)) }, day: day, registry: registry)
                }
            }.map { (r) throws(LedgerError) in try r.get() }
        }
    }

    /// The plan position just before the first waiting message (where a delivery pass starts reading).
    public func seqBeforeFirstWaiting() throws(LedgerError) -> Int {
        try guarded {
            let first =
                try db.prepare("SELECT min(seq) FROM messages WHERE state IN ('queued','deferred','sending') AND state IN ('queued','deferred')").rows
            { $0.isNull(0) ? nil : $0.int(0) }.first ?? nil
            return (first ?? Int.max) - 1
        }
    }

    /// Messages counted against the quotas of `day`: all, and per msisdn for rules other than `exempt`.
    public func sentCounts(on day: String, exempt: Set<RuleKind>) throws(LedgerError) -> (total: Int, perSubscriber: [String: Int]) {
        try guarded {
            var per: [String: Int] = [:]
            var total = 0
            let rows = try db.prepare("SELECT msisdn, rule, count(*) FROM messages WHERE sent_day = ? GROUP BY msisdn, rule")
                .rows([.text(day)]) { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2)) }
            for (msisdn, rule, n) in rows {
                total += n
                if exempt.contains(where: { $0.rawValue == rule }) { continue }
                per[msisdn, default: 0] += n
            }
            return (total, per)
        }
    }

    /// Marks messages `sending` (one more attempt) before the gateway sees them; they count for `day`'s quotas.
    public func markSending(_ seqs: [Int], day: String, tag: String?, timestamp: String) throws(LedgerError) {
        try guarded {
            try db.transaction {
                // The batch is every waiting row in its seq range (what a quota held back is due tomorrow by now),
                // so one ranged statement marks it; a count check keeps that honest.
                if let first = seqs.first, let last = seqs.last,
                    try countRows(
                        "seq BETWEEN ? AND ? AND +state IN ('queued','deferred') AND +due_day <= ?",
                        [.int(first), .int(last), .text(day)]) == seqs.count
                {
                    try db.prepare(
                        """
                        UPDATE messages SET state='sending', attempts=attempts+1, sent_day=?, gateway_message_id=?, updated_at=?
                        WHERE seq BETWEEN ? AND ? AND +state IN ('queued','deferred') AND +due_day <= ?
                        """
                    ).run([.text(day), tag?.sql ?? .null, .text(timestamp), .int(first), .int(last), .text(day)])
                    return
                }
                let stmt = try db.prepare(
                    "UPDATE messages SET state='sending', attempts=attempts+1, sent_day=?, gateway_message_id=?, updated_at=? WHERE seq=?")
                for seq in seqs { try stmt.run([.text(day), tag?.sql ?? .null, .text(timestamp), .int(seq)]) }
            }
        }
    }

    /// Messages waiting (queued or deferred) that may go out on `day`.
    public func waitingCount(on day: String) throws(LedgerError) -> Int {
        try guarded { try countRows("state IN ('queued','deferred','sending') AND state IN ('queued','deferred') AND due_day <= ?", [.text(day)]) }
    }

    /// Rows of `messages` matching a condition.
    func countRows(_ condition: String, _ values: [SQLValue]) throws -> Int {
        try db.prepare("SELECT count(*) FROM messages WHERE " + condition).rows(values) { $0.int(0) }.first ?? 0
    }

    /// Holds messages back until `day`.
    public func deferMessages(_ seqs: [Int], until day: String, reason: String, timestamp: String) throws(LedgerError) {
        try guarded {
            try db.transaction {
                let stmt = try db.prepare("UPDATE messages SET state='deferred', due_day=?, last_error=?, updated_at=? WHERE seq=?")
                for seq in seqs { try stmt.run([.text(day), .text(reason), .text(timestamp), .int(seq)]) }
            }
        }
    }

    /// Settles what the gateway said, in one transaction.
    public func settle(_ settlements: [Settlement], timestamp: String) throws(LedgerError) {
        try guarded {
            try db.transaction {
                let sent = try db.prepare(
                    "UPDATE messages SET state='sent', sent_at=?, gateway_message_id=?, last_error=NULL, updated_at=? WHERE seq=?")
                let rejected = try db.prepare("UPDATE messages SET state='rejected', reply_status=?, last_error=?, updated_at=? WHERE seq=?")
                let retry = try db.prepare(
                    "UPDATE messages SET state='queued', sent_day=NULL, gateway_message_id=NULL, last_error=?, updated_at=? WHERE seq=?")
                let untried = try db.prepare(
                    "UPDATE messages SET state='queued', sent_day=NULL, gateway_message_id=NULL, attempts=max(attempts-1, 0), updated_at=? WHERE seq=? AND state='sending'"
                )
                let unreject = try db.prepare(
                    "UPDATE messages SET state='queued', sent_day=NULL, gateway_message_id=NULL, reply_status=NULL, last_error=?, updated_at=? WHERE seq=? AND state='rejected'"
                )
                // Accepted messages without a gateway id are settled with one ranged statement once the others are.
                let plain = settlements.filter { if case .sent(nil) = $0.result { return true } else { return false } }.map(\.seq)
                var ranged = false
                if let first = plain.min(), let last = plain.max(),
                    settlements.allSatisfy({ s in
                        if case .sent(nil) = s.result { return true }
                        return s.seq < first || s.seq > last
                    }),
                    try countRows("seq BETWEEN ? AND ? AND +state = 'sending'", [.int(first), .int(last)]) == plain.count
                {
                    ranged = true
                }
                let segmented = settlements.filter { if case .sent = $0.result { return !$0.segmentIDs.isEmpty } else { return false } }
                if !segmented.isEmpty {
                    let forget = try db.prepare("DELETE FROM segments WHERE seq = ?")
                    let keep = try db.prepare("INSERT OR REPLACE INTO segments(msg_id, seq, part) VALUES (?, ?, ?)")
                    for s in segmented {
                        try forget.run([.int(s.seq)])
                        for (part, id) in s.segmentIDs.enumerated() { try keep.run([.text(id), .int(s.seq), .int(part + 1)]) }
                    }
                }
                for s in settlements {
                    switch s.result {
                    case .sent(nil) where ranged:
                        continue
                    case let .sent(gatewayID):
                        try sent.run([.text(timestamp), gatewayID.sql, .text(timestamp), .int(s.seq)])
                    case let .rejected(status, reply):
                        try rejected.run([.int(status), .text(reply), .text(timestamp), .int(s.seq)])
                    case let .retryLater(reason):
                        try retry.run([.text(reason), .text(timestamp), .int(s.seq)])
                    case .untried:
                        try untried.run([.text(timestamp), .int(s.seq)])
                    case let .requeueRejected(reason):
                        try unreject.run([.text(reason), .text(timestamp), .int(s.seq)])
                    }
                }
                if ranged, let first = plain.min(), let last = plain.max() {
                    try db.prepare(
                        """
                        UPDATE messages SET state='sent', sent_at=?, gateway_message_id=NULL, last_error=NULL, updated_at=?
                        WHERE seq BETWEEN ? AND ? AND +state = 'sending'
                        """
                    ).run([.text(timestamp), .text(timestamp), .int(first), .int(last)])
                }
            }
        }
    }
}
