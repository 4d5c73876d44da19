import SMSCore

extension SQLiteLedger {
    public func status(problemLimit: Int) throws(LedgerError) -> LedgerStatus {
        try guarded {
            var status = LedgerStatus()
            let grouped = try db.prepare("SELECT state, rule, count(*) FROM messages GROUP BY state, rule")
                .rows([]) { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2)) }
            for (state, rule, n) in grouped {
                // A rule this build does not know is an error (a newer smsbatch wrote it), never a row left out.
                let r = try RuleKind.stored(rule, in: registry)
                guard let s = MessageState(rawValue: state) else { continue }
                status.counts[s, default: [:]][r] = n
            }
            status.oldestWaitingDay =
                try db.prepare("SELECT min(due_day) FROM messages WHERE state IN ('queued','deferred','sending')")
                .rows { $0.text(0) }.first ?? nil
            status.problems = try db.prepare(
                """
                SELECT msisdn, rule, state, reply_status, last_error FROM messages
                WHERE last_error IS NOT NULL AND state != 'sent' ORDER BY updated_at DESC LIMIT ?
                """
            ).rows([.int(problemLimit)]) { s in
                (s.text(0) ?? "", s.text(1) ?? "", s.text(2) ?? "", s.isNull(3) ? nil : s.int(3), s.text(4) ?? "")
            }
            status.items = try db.prepare("SELECT count(*) FROM items").rows { $0.int(0) }.first ?? 0
            return status
        }
    }

    public func allMessages() throws(LedgerError) -> [LedgerRecord] {
        try guarded {
            try db.prepare(
                """
                SELECT b.id, m.msisdn, m.rule, b.keys, m.state, m.attempts FROM messages m JOIN bodies b ON b.seq = m.seq ORDER BY m.seq
                """
            ).rows { s in
                LedgerRecord(
                    id: s.text(0) ?? "", msisdn: s.text(1) ?? "", rule: s.text(2) ?? "",
                    keys: StoredKeys.keys(s.text(3) ?? ""), state: s.text(4) ?? "", attempts: s.int(5))
            }
        }
    }
}

extension SQLiteLedger {
    public func heldMessages(limit: Int) throws(LedgerError) -> [HeldMessage] {
        try guarded {
            try db.prepare(
                """
                SELECT b.id, m.msisdn, m.rule, b.plan_day, coalesce(m.last_error, ''), b.text
                FROM messages m JOIN bodies b ON b.seq = m.seq WHERE m.state = 'held' ORDER BY m.seq LIMIT ?
                """
            ).rows([.int(limit)]) { s in
                HeldMessage(
                    id: s.text(0) ?? "", msisdn: s.text(1) ?? "", rule: s.text(2) ?? "", planDay: s.text(3) ?? "",
                    reason: s.text(4) ?? "", text: s.text(5) ?? "")
            }
        }
    }

    public func decide(_ decision: OperatorDecision) throws(LedgerError) -> Int {
        try guarded {
            try db.transaction {
                let chosen = try db.prepare("SELECT m.seq, b.id FROM messages m JOIN bodies b ON b.seq = m.seq WHERE m.state = 'held' ORDER BY m.seq")
                    .rows { ($0.int(0), $0.text(1) ?? "") }
                    .filter { decision.ids == nil || decision.ids!.contains($0.1) }
                // A released notice whose announced date has passed is not sent late: it expires.
                let update = try db.prepare(
                    """
                    UPDATE messages SET state = CASE WHEN ? = 'queued' AND expires_day IS NOT NULL AND expires_day < ? THEN 'expired' ELSE ? END,
                        last_error = ?, updated_at = ? WHERE seq = ? AND state = 'held'
                    """)
                let audit = try db.prepare("INSERT INTO operator_actions(at, by_name, action, message_id, note) VALUES (?, ?, ?, ?, ?)")
                for (seq, id) in chosen {
                    let state = decision.action.state.rawValue
                    try update.run([.text(state), .text(decision.day), .text(state), .text(decision.remark), .text(decision.timestamp), .int(seq)])
                    try audit.run([
                        .text(decision.timestamp), .text(decision.by), .text(decision.action.rawValue), .text(id),
                        decision.note?.sql ?? .null,
                    ])
                }
                return chosen.count
            }
        }
    }
}
