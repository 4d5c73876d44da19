import SMSCore

extension PostgresLedger {
    public func status(problemLimit: Int) throws(LedgerError) -> LedgerStatus {
        guard exists else { throw LedgerError(.cannotOpen, "\(location) holds no smsbatch ledger yet; a run creates it") }
        return try guarded {
            var status = LedgerStatus()
            for row in try connection.query("SELECT state, rule, count(*) FROM smsbatch.messages GROUP BY state, rule").values {
                let r = try RuleKind.stored(row[1] ?? "", in: registry)
                guard let s = row[0].flatMap(MessageState.init(rawValue:)) else { continue }
                status.counts[s, default: [:]][r] = row[2].flatMap { Int($0) } ?? 0
            }
            status.oldestWaitingDay = try connection.query(
                "SELECT min(due_day) FROM smsbatch.messages WHERE state IN ('queued', 'deferred', 'sending')")[0, 0]
            status.problems = try connection.query(
                """
                SELECT msisdn, rule, state, reply_status, last_error FROM smsbatch.messages
                WHERE last_error IS NOT NULL AND state <> 'sent' ORDER BY updated_at DESC LIMIT $1
                """, [String(problemLimit)]
            ).values.map { row in
                (row[0] ?? "", row[1] ?? "", row[2] ?? "", row[3].flatMap { Int($0) }, row[4] ?? "")
            }
            status.items = try connection.query("SELECT count(*) FROM smsbatch.items").int(0, 0)
            return status
        }
    }

    public func allMessages() throws(LedgerError) -> [LedgerRecord] {
        guard exists else { return [] }
        return try guarded {
            try connection.query("SELECT id, msisdn, rule, keys, state, attempts FROM smsbatch.messages ORDER BY seq").values.map { row in
                LedgerRecord(
                    id: row[0] ?? "", msisdn: row[1] ?? "", rule: row[2] ?? "",
                    keys: StoredKeys.keys(row[3] ?? ""), state: row[4] ?? "",
                    attempts: row[5].flatMap { Int($0) } ?? 0)
            }
        }
    }
}

extension PostgresLedger {
    public func heldMessages(limit: Int) throws(LedgerError) -> [HeldMessage] {
        guard exists else { return [] }
        return try guarded {
            try connection.query(
                """
                SELECT id, msisdn, rule, plan_day, coalesce(last_error, ''), text FROM smsbatch.messages
                WHERE state = 'held' ORDER BY seq LIMIT $1
                """, [String(limit)]
            ).values.map { r in
                HeldMessage(id: r[0] ?? "", msisdn: r[1] ?? "", rule: r[2] ?? "", planDay: r[3] ?? "", reason: r[4] ?? "", text: r[5] ?? "")
            }
        }
    }

    public func decide(_ decision: OperatorDecision) throws(LedgerError) -> Int {
        guard exists else { return 0 }
        return try guarded {
            try connection.transaction {
                let changed = try connection.query(
                    """
                    UPDATE smsbatch.messages SET last_error = $2, updated_at = $3,
                        state = CASE WHEN $1 = 'queued' AND expires_day IS NOT NULL AND expires_day < $5 THEN 'expired' ELSE $1 END
                    WHERE state = 'held' AND ($4::text[] IS NULL OR id = ANY($4::text[]))
                    RETURNING id
                    """,
                    [
                        decision.action.state.rawValue, decision.remark, decision.timestamp,
                        decision.ids.map { PostgresArray.literal($0) }, decision.day,
                    ]
                ).values.compactMap { $0[0] }
                if !changed.isEmpty {
                    try connection.query(
                        """
                        INSERT INTO smsbatch.operator_actions(at, by_name, action, message_id, note)
                        SELECT $1, $2, $3, id, $4 FROM unnest($5::text[]) AS t(id)
                        """, [decision.timestamp, decision.by, decision.action.rawValue, decision.note, PostgresArray.literal(changed)])
                }
                return changed.count
            }
        }
    }
}
