import SMSCore

extension PostgresLedger {
    public func adoptUnsealedPlans(token: String) throws(LedgerError) -> Int {
        guard exists else { return 0 }
        return try guarded {
            try connection.query(
                """
                WITH adopted AS (UPDATE smsbatch.messages SET plan = $1
                    WHERE state = 'awaiting' AND left(plan, 8) = 'pending:' AND plan <> $1 RETURNING 1)
                SELECT count(*) FROM adopted
                """, [token]
            ).int(0, 0)
        }
    }

    public func sealPlan(token: String) throws(LedgerError) -> (digest: String, messages: Int) {
        guard exists else { var empty = PlanDigest(); return (empty.hex(), 0) }
        return try guarded {
            try connection.transaction {
                var digest = PlanDigest()
                let rows = try connection.query(
                    """
                    SELECT id, text FROM smsbatch.messages WHERE state = 'awaiting' AND plan = $1 ORDER BY seq
                    """, [token])
                for r in rows.values { digest.add(id: r[0] ?? "", text: r[1] ?? "") }
                let hex = digest.hex()
                try connection.query("UPDATE smsbatch.messages SET plan = $1 WHERE state = 'awaiting' AND plan = $2", [hex, token])
                return (hex, rows.count)
            }
        }
    }

    public func pendingPlans() throws(LedgerError) -> [PendingPlan] {
        guard exists else { return [] }
        return try guarded {
            let rows = try connection.query(
                """
                SELECT plan, plan_day, id, msisdn, rule, keys, text, units, segments, stars, brand, template
                FROM smsbatch.messages WHERE state = 'awaiting' ORDER BY seq
                """)
            return PendingPlan.grouped(
                try (0..<rows.count).map { (r) throws(LedgerError) in
                    (
                        rows[r, 0] ?? "", rows[r, 1] ?? "",
                        RenderedMessage(
                            id: rows[r, 2] ?? "", msisdn: rows[r, 3] ?? "", rule: try RuleKind.stored(rows[r, 4] ?? "", in: registry),
                            keys: StoredKeys.keys(rows[r, 5] ?? ""), text: rows[r, 6] ?? "", units: rows.int(r, 7), segments: rows.int(r, 8),
                            stars: rows.int(r, 9), brand: Brand(rawValue: rows[r, 10] ?? "") ?? .easyown, template: rows[r, 11] ?? "")
                    )
                })
        }
    }

    public func approve(digest: String, by: String, note: String?, day: String, timestamp: String) throws(LedgerError) -> ApprovalOutcome {
        guard exists else { return ApprovalOutcome(released: 0, alreadyApproved: false) }
        return try guarded {
            try connection.transaction {
                let inserted = try connection.query(
                    """
                    INSERT INTO smsbatch.approvals(digest, by_name, at, note) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (digest) DO NOTHING RETURNING 1
                    """, [digest, by, timestamp, note]
                ).count
                let released = try PostgresLedger.releaseApproved(connection, digest: digest, day: day, timestamp: timestamp)
                return ApprovalOutcome(released: released, alreadyApproved: inserted == 0)
            }
        }
    }

    public func releaseIfApproved(digest: String, day: String, timestamp: String) throws(LedgerError) -> Int {
        guard exists else { return 0 }
        return try guarded {
            try connection.transaction { try PostgresLedger.releaseApproved(connection, digest: digest, day: day, timestamp: timestamp) }
        }
    }

    /// Puts the awaiting messages of an approved `digest` in the queue; returns how many.
    static func releaseApproved(_ c: PostgresConnection, digest: String, day: String, timestamp: String) throws -> Int {
        // A notice whose announced date has passed while it waited is not sent late: it expires.
        try c.query(
            """
            UPDATE smsbatch.messages SET state = 'expired', updated_at = $3
            WHERE state = 'awaiting' AND plan = $1 AND expires_day IS NOT NULL AND expires_day < $2
                AND EXISTS (SELECT 1 FROM smsbatch.approvals WHERE digest = $1)
            """, [digest, day, timestamp])
        let released = try c.query(
            """
            WITH released AS (
                UPDATE smsbatch.messages SET state = 'queued', due_day = least(due_day, $2), updated_at = $3
                WHERE state = 'awaiting' AND plan = $1 AND EXISTS (SELECT 1 FROM smsbatch.approvals WHERE digest = $1)
                RETURNING 1)
            SELECT count(*) FROM released
            """, [digest, day, timestamp]
        ).int(0, 0)
        if released > 0 {
            try c.query(
                "UPDATE smsbatch.approvals SET messages = messages + $1, used_at = $2 WHERE digest = $3",
                [String(released), timestamp, digest])
        }
        return released
    }

    public func approvals() throws(LedgerError) -> [Approval] {
        guard exists else { return [] }
        return try guarded {
            try connection.query("SELECT digest, by_name, at, note, messages, used_at FROM smsbatch.approvals ORDER BY at DESC")
                .values.map { r in
                    Approval(
                        digest: r[0] ?? "", by: r[1] ?? "", at: r[2] ?? "", note: r[3], messages: r[4].flatMap { Int($0) } ?? 0,
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
        return try guarded {
            try connection.transaction {
                let ids = PostgresArray.literal(Array(Set(receipts.map(\.id))))
                let matched = try connection.query(
                    """
                    SELECT r.id, m.seq, m.delivery_at FROM unnest($1::text[]) AS r(id) JOIN smsbatch.messages m ON m.id = r.id
                    UNION ALL
                    SELECT r.id, m.seq, m.delivery_at FROM unnest($1::text[]) AS r(id)
                        JOIN smsbatch.messages m ON m.gateway_message_id = r.id AND m.gateway_message_id IS NOT NULL
                    """, [ids])
                let resolved = matched.values.compactMap { row -> (id: String, seq: Int, deliveredAt: String?)? in
                    guard let id = row[0], let seq = row[1].flatMap({ Int($0) }) else { return nil }
                    return (id, seq, row[2])
                }
                var (latest, outcome) = Receipt.latestPerMessage(receipts, resolved: resolved)
                if !latest.isEmpty {
                    let list = Array(latest)
                    let applied = try connection.query(
                        """
                        WITH applied AS (
                            UPDATE smsbatch.messages m SET delivery = t.delivery, delivery_code = t.code, delivery_at = t.at, updated_at = $1
                            FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) AS t(seq, delivery, code, at)
                            WHERE m.seq = t.seq AND (m.delivery_at IS NULL OR m.delivery_at < t.at) RETURNING 1)
                        SELECT count(*) FROM applied
                        """,
                        [
                            timestamp, PostgresArray.literal(list.map(\.key)),
                            PostgresArray.literal(list.map { $0.value.delivered ? "delivered" : "undelivered" }),
                            PostgresArray.literal(list.map(\.value.code)), PostgresArray.literal(list.map(\.value.at)),
                        ]
                    ).int(0, 0)
                    outcome.applied = applied
                    outcome.unchanged += list.count - applied
                }
                return outcome
            }
        }
    }

    public func deliveryReport() throws(LedgerError) -> DeliveryReport {
        var report = DeliveryReport()
        guard exists else { return report }
        return try guarded {
            for row in try connection.query(
                """
                SELECT rule, delivery, count(*) FROM smsbatch.messages WHERE delivery IS NOT NULL GROUP BY rule, delivery
                """
            ).values {
                let r = try RuleKind.stored(row[0] ?? "", in: registry)
                guard let n = row[2].flatMap({ Int($0) }) else { continue }
                if row[1] == "delivered" { report.delivered[r, default: 0] += n } else { report.undelivered[r, default: 0] += n }
            }
            report.topCodes = try connection.query(
                """
                SELECT delivery_code, count(*) AS n FROM smsbatch.messages WHERE delivery = 'undelivered'
                GROUP BY delivery_code ORDER BY n DESC, delivery_code LIMIT 5
                """
            ).values.map { ($0[0] ?? "", $0[1].flatMap { Int($0) } ?? 0) }
            return report
        }
    }
}

extension PostgresLedger {
    public func applySegmentReports(_ reports: [Receipt], timestamp: String) throws(LedgerError) -> ReceiptOutcome {
        var outcome = ReceiptOutcome()
        guard exists else {
            outcome.unknownIDs = Array(Set(reports.map(\.id))).sorted()
            return outcome
        }
        // The same segment twice in one call: the later report wins.
        var latest: [String: Receipt] = [:]
        for r in reports { latest[r.id] = r }
        let list = Array(latest.values)
        return try guarded {
            try connection.transaction {
                let noted = try connection.query(
                    """
                    UPDATE smsbatch.segments s SET code = t.code, at = t.at
                    FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, code, at)
                    WHERE s.msg_id = t.id AND s.seq = (
                        -- A Msg_Id given again (a restarted centre): the newest segment still waiting, else the newest.
                        SELECT x.seq FROM smsbatch.segments x WHERE x.msg_id = t.id ORDER BY x.code IS NOT NULL, x.seq DESC LIMIT 1)
                    RETURNING s.msg_id, s.seq
                    """, [PostgresArray.literal(list.map(\.id)), PostgresArray.literal(list.map(\.code)), PostgresArray.literal(list.map(\.at))])
                let known = Set(noted.values.compactMap { $0[0] })
                outcome.unknownIDs = list.map(\.id).filter { !known.contains($0) }.sorted()
                let seqs = Set(noted.values.compactMap { $0[1].flatMap { Int($0) } })
                guard !seqs.isEmpty else { return outcome }
                let rows = try connection.query(
                    "SELECT seq, part, code FROM smsbatch.segments WHERE seq = ANY($1::bigint[])",
                    [PostgresArray.literal(Array(seqs))]
                )
                .values.compactMap { r -> (seq: Int, part: Int, code: String?)? in
                    guard let seq = r[0].flatMap({ Int($0) }), let part = r[1].flatMap({ Int($0) }) else { return nil }
                    return (seq, part, r[2])
                }
                let verdicts = Array(SegmentVerdict.of(rows))
                guard !verdicts.isEmpty else { return outcome }
                let applied = try connection.query(
                    """
                    WITH applied AS (
                        UPDATE smsbatch.messages m SET delivery = t.delivery, delivery_code = t.code, delivery_at = $1, updated_at = $1
                        FROM unnest($2::bigint[], $3::text[], $4::text[]) AS t(seq, delivery, code)
                        WHERE m.seq = t.seq AND (m.delivery IS DISTINCT FROM t.delivery OR m.delivery_code IS DISTINCT FROM t.code)
                        RETURNING 1)
                    SELECT count(*) FROM applied
                    """,
                    [
                        timestamp, PostgresArray.literal(verdicts.map(\.key)), PostgresArray.literal(verdicts.map(\.value.delivery)),
                        PostgresArray.literal(verdicts.map(\.value.code)),
                    ]
                ).int(0, 0)
                outcome.applied = applied
                outcome.unchanged = verdicts.count - applied
                return outcome
            }
        }
    }
}
