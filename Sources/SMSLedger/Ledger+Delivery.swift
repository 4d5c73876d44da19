import SMSCore

/// What happened to one message handed to the gateway, for ``Ledger/settle(_:timestamp:day:)``.
public struct Settlement: Sendable {
    public enum Result: Sendable {
        case sent(gatewayMessageID: String?)
        case rejected(status: Int, reply: String)
        /// Stays queued for a later run.
        case retryLater(reason: String)
    }
    public var id: String
    public var result: Result

    public init(id: String, result: Result) {
        self.id = id
        self.result = result
    }
}

extension Ledger {
    /// Puts messages left `sending` by a run that died back in the queue, to be sent again under the same id.
    public func recoverInterrupted(timestamp: String) throws(LedgerError) -> Int {
        try guarded {
            try db.transaction {
                try db.prepare("UPDATE messages SET state='queued', updated_at=?, last_error='interrupted while sending; sent again under the same id' WHERE state='sending'")
                    .run([.text(timestamp)])
                return db.changes
            }
        }
    }

    /// Marks waiting messages whose notice has passed as `expired`.
    public func expire(before day: String, timestamp: String) throws(LedgerError) -> Int {
        try guarded {
            try db.transaction {
                try db.prepare("UPDATE messages SET state='expired', updated_at=? WHERE state IN ('queued','deferred') AND expires_day IS NOT NULL AND expires_day < ?")
                    .run([.text(timestamp), .text(day)])
                return db.changes
            }
        }
    }

    /// Waiting messages that may go out on `day`, in plan order, after `afterSeq`.
    public func deliverable(on day: String, afterSeq: Int, limit: Int) throws(LedgerError) -> [LedgerMessage] {
        try guarded {
            try db.prepare("""
                SELECT seq, id, msisdn, rule, keys, text, units, segments, stars, brand, template, state, attempts, due_day
                FROM messages WHERE state IN ('queued','deferred') AND due_day <= ? AND seq > ? ORDER BY seq LIMIT ?
                """).rows([.text(day), .int(afterSeq), .int(limit)]) { s in
                let message = RenderedMessage(
                    id: s.text(1) ?? "", msisdn: s.text(2) ?? "", rule: RuleKind(rawValue: s.text(3) ?? "") ?? .monthEndSummary,
                    keys: (s.text(4) ?? "").split(separator: "\n").map(String.init), text: s.text(5) ?? "",
                    units: s.int(6), segments: s.int(7), stars: s.int(8), brand: Brand(rawValue: s.text(9) ?? "") ?? .easyown,
                    template: s.text(10) ?? "")
                return LedgerMessage(seq: s.int(0), message: message, state: MessageState(rawValue: s.text(11) ?? "") ?? .queued,
                                     attempts: s.int(12), dueDay: s.text(13) ?? day)
            }
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
                if let r = RuleKind(rawValue: rule), exempt.contains(r) { continue }
                per[msisdn, default: 0] += n
            }
            return (total, per)
        }
    }

    /// Marks messages `sending` (one more attempt) before the gateway sees them; they count for `day`'s quotas.
    public func markSending(_ ids: [String], day: String, timestamp: String) throws(LedgerError) {
        try guarded {
            try db.transaction {
                let stmt = try db.prepare("UPDATE messages SET state='sending', attempts=attempts+1, sent_day=?, updated_at=? WHERE id=?")
                for id in ids { try stmt.run([.text(day), .text(timestamp), .text(id)]) }
            }
        }
    }

    /// Holds messages back until `day`.
    public func deferMessages(_ ids: [String], until day: String, reason: String, timestamp: String) throws(LedgerError) {
        try guarded {
            try db.transaction {
                let stmt = try db.prepare("UPDATE messages SET state='deferred', due_day=?, last_error=?, updated_at=? WHERE id=?")
                for id in ids { try stmt.run([.text(day), .text(reason), .text(timestamp), .text(id)]) }
            }
        }
    }

    /// Settles what the gateway said, in one transaction.
    public func settle(_ settlements: [Settlement], timestamp: String) throws(LedgerError) {
        try guarded {
            try db.transaction {
                let sent = try db.prepare("UPDATE messages SET state='sent', sent_at=?, gateway_message_id=?, last_error=NULL, updated_at=? WHERE id=?")
                let rejected = try db.prepare("UPDATE messages SET state='rejected', reply_status=?, last_error=?, updated_at=? WHERE id=?")
                let retry = try db.prepare("UPDATE messages SET state='queued', sent_day=NULL, last_error=?, updated_at=? WHERE id=?")
                for s in settlements {
                    switch s.result {
                    case let .sent(gatewayID):
                        try sent.run([.text(timestamp), gatewayID.sql, .text(timestamp), .text(s.id)])
                    case let .rejected(status, reply):
                        try rejected.run([.int(status), .text(reply), .text(timestamp), .text(s.id)])
                    case let .retryLater(reason):
                        try retry.run([.text(reason), .text(timestamp), .text(s.id)])
                    }
                }
            }
        }
    }
}
