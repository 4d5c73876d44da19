import SMSCore

extension PostgresLedger {
    public func sealPlan(token: String, digest: String) throws(LedgerError) -> Int {
        guard exists else { return 0 }
        return try guarded {
            try connection.query("""
                WITH sealed AS (UPDATE smsbatch.messages SET plan = $1 WHERE state = 'awaiting' AND plan = $2 RETURNING 1)
                SELECT count(*) FROM sealed
                """, [digest, token]).int(0, 0)
        }
    }

    public func pendingPlans() throws(LedgerError) -> [PendingPlan] {
        guard exists else { return [] }
        return try guarded {
            let rows = try connection.query("""
                SELECT plan, plan_day, id, msisdn, rule, keys, text, units, segments, stars, brand, template
                FROM smsbatch.messages WHERE state = 'awaiting' ORDER BY seq
                """)
            return PendingPlan.grouped(try (0..<rows.count).map { (r) throws(LedgerError) in
                (rows[r, 0] ?? "", rows[r, 1] ?? "", RenderedMessage(
                    id: rows[r, 2] ?? "", msisdn: rows[r, 3] ?? "", rule: try RuleKind.stored(rows[r, 4] ?? ""),
                    keys: StoredKeys.keys(rows[r, 5] ?? ""), text: rows[r, 6] ?? "", units: rows.int(r, 7), segments: rows.int(r, 8),
                    stars: rows.int(r, 9), brand: Brand(rawValue: rows[r, 10] ?? "") ?? .easyown, template: rows[r, 11] ?? ""))
            })
        }
    }

    public func approve(digest: String, by: String, note: String?, day: String, timestamp: String) throws(LedgerError) -> ApprovalOutcome {
        guard exists else { return ApprovalOutcome(released: 0, alreadyApproved: false) }
        return try guarded {
            try connection.transaction {
                let inserted = try connection.query("""
                    INSERT INTO smsbatch.approvals(digest, by_name, at, note) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (digest) DO NOTHING RETURNING 1
                    """, [digest, by, timestamp, note]).count
                let released = try PostgresLedger.releaseApproved(connection, digest: digest, day: day, timestamp: timestamp)
                return ApprovalOutcome(released: released, alreadyApproved: inserted == 0)
            }
        }
    }

    public func releaseIfApproved(digest: String, day: String, timestamp: String) throws(LedgerError) -> Int {
        guard exists else { return 0 }
        return try guarded { try connection.transaction { try PostgresLedger.releaseApproved(connection, digest: digest, day: day, timestamp: timestamp) } }
    }

    /// Puts the awaiting messages of an approved `digest` in the queue; returns how many.
    static func releaseApproved(_ c: PostgresConnection, digest: String, day: String, timestamp: String) throws -> Int {
        let released = try c.query("""
            WITH released AS (
                UPDATE smsbatch.messages SET state = 'queued', due_day = least(due_day, $2), updated_at = $3
                WHERE state = 'awaiting' AND plan = $1 AND EXISTS (SELECT 1 FROM smsbatch.approvals WHERE digest = $1)
                RETURNING 1)
            SELECT count(*) FROM released
            """, [digest, day, timestamp]).int(0, 0)
        if released > 0 {
            try c.query("UPDATE smsbatch.approvals SET messages = messages + $1, used_at = $2 WHERE digest = $3",
                        [String(released), timestamp, digest])
        }
        return released
    }

    public func approvals() throws(LedgerError) -> [Approval] {
        guard exists else { return [] }
        return try guarded {
            try connection.query("SELECT digest, by_name, at, note, messages, used_at FROM smsbatch.approvals ORDER BY at DESC")
                .values.map { r in
                    Approval(digest: r[0] ?? "", by: r[1] ?? "", at: r[2] ?? "", note: r[3], messages: r[4].flatMap { Int($0) } ?? 0,
                             usedAt: r[5])
                }
        }
    }

    public func applyReceipts(_ receipts: [Receipt], timestamp: String) throws(LedgerError) -> ReceiptOutcome {
        guard exists else {
            var outcome = ReceiptOutcome()
            outcome.unknownIDs = Array(Set(receipts.map(\.id))).sorted()
            return outcome
        }
        var latest: [String: Receipt] = [:]
        for r in receipts where latest[r.id].map({ $0.at < r.at }) ?? true { latest[r.id] = r }
        let list = Array(latest.values)
        return try guarded {
            try connection.transaction {
                let matched = try connection.query("""
                    SELECT r.id, m.seq, m.delivery_at FROM unnest($1::text[]) AS r(id)
                    JOIN smsbatch.messages m ON m.id = r.id OR (m.gateway_message_id = r.id AND m.gateway_message_id IS NOT NULL)
                    """, [PostgresArray.literal(list.map(\.id))])
                var seqOf: [String: (Int, String?)] = [:]
                for row in matched.values { if let id = row[0], let seq = row[1].flatMap({ Int($0) }) { seqOf[id] = (seq, row[2]) } }
                var outcome = ReceiptOutcome()
                outcome.unknownIDs = list.map(\.id).filter { seqOf[$0] == nil }.sorted()
                let fresh = list.filter { r in seqOf[r.id].map { $0.1.map { r.at > $0 } ?? true } ?? false }
                if !fresh.isEmpty {
                    try connection.query("""
                        UPDATE smsbatch.messages m SET delivery = t.delivery, delivery_code = t.code, delivery_at = t.at, updated_at = $1
                        FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) AS t(seq, delivery, code, at)
                        WHERE m.seq = t.seq AND (m.delivery_at IS NULL OR t.at > m.delivery_at)
                        """, [timestamp, PostgresArray.literal(fresh.map { seqOf[$0.id]!.0 }),
                              PostgresArray.literal(fresh.map { $0.delivered ? "delivered" : "undelivered" }),
                              PostgresArray.literal(fresh.map(\.code)), PostgresArray.literal(fresh.map(\.at))])
                }
                outcome.applied = fresh.count
                outcome.unchanged = list.count - outcome.unknownIDs.count - fresh.count
                return outcome
            }
        }
    }

    public func deliveryReport() throws(LedgerError) -> DeliveryReport {
        var report = DeliveryReport()
        guard exists else { return report }
        return try guarded {
            for row in try connection.query("""
                SELECT rule, delivery, count(*) FROM smsbatch.messages WHERE delivery IS NOT NULL GROUP BY rule, delivery
                """).values {
                guard let r = RuleKind(rawValue: row[0] ?? ""), let n = row[2].flatMap({ Int($0) }) else { continue }
                if row[1] == "delivered" { report.delivered[r, default: 0] += n } else { report.undelivered[r, default: 0] += n }
            }
            report.topCodes = try connection.query("""
                SELECT delivery_code, count(*) AS n FROM smsbatch.messages WHERE delivery = 'undelivered'
                GROUP BY delivery_code ORDER BY n DESC, delivery_code LIMIT 5
                """).values.map { ($0[0] ?? "", $0[1].flatMap { Int($0) } ?? 0) }
            return report
        }
    }
}
