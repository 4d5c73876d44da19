import SMSCore

#if canImport(Glibc)
    import Glibc
#endif

extension PostgresLedger {
    /// Settles what stopped senders left `sending`: those whose lease ran out, and those of a sender on this host and
    /// in this PID namespace (`worker` is `host:namespace:pid`) whose process is gone, so a rerun after a crash need not wait for the lease. What
    /// the claim's file holds is `sent`; the rest goes back to the queue, its quota counts given back. Leases of
    /// live senders are left alone, so this is safe while others send.
    public func recoverInterrupted(
        timestamp: String, worker: String, written: (_ tag: String) throws(LedgerError) -> Set<String>?
    ) throws(LedgerError) -> Recovery {
        guard exists else { return Recovery() }
        let host = worker.split(separator: ":").dropLast().joined(separator: ":")
        return try guarded {
            try connection.transaction {
                try PostgresLedger.lockQuotas(connection)
                let workers = try connection.query(
                    """
                    SELECT DISTINCT worker FROM smsbatch.messages WHERE state = 'sending' AND left(worker, length($1)) = $1
                    """, [host + ":"]
                ).values.compactMap { $0[0] }
                let gone = workers.filter { w in
                    guard w != worker, let pid = w.split(separator: ":").last.flatMap({ Int32($0) }) else { return false }
                    return kill(pid, 0) != 0 && errno == ESRCH
                }
                let stale = "(lease_until < now() OR worker = ANY($1::text[]))"
                var recovery = Recovery()
                let tagged = try connection.query(
                    """
                    SELECT seq, id, gateway_message_id FROM smsbatch.messages
                    WHERE state = 'sending' AND gateway_message_id IS NOT NULL AND \(stale)
                    """, [PostgresArray.literal(gone)])
                let claims = tagged.values.compactMap { row -> (seq: Int, id: String, tag: String)? in
                    row[0].flatMap { Int($0) }.map { (seq: $0, id: row[1] ?? "", tag: row[2] ?? "") }
                }
                let found = try Recovery.foundWritten(claims, written: written)
                if !found.isEmpty {
                    try connection.query(
                        """
                        UPDATE smsbatch.messages SET state = 'sent', sent_at = $1, updated_at = $1, last_error = NULL,
                            worker = NULL, lease_until = NULL
                        WHERE seq = ANY($2::bigint[]) AND state = 'sending'
                        """, [timestamp, PostgresArray.literal(found)])
                }
                recovery.foundWritten = found.count
                recovery.requeued = try PostgresLedger.takeOverExpiredLeases(connection, timestamp: timestamp, alsoOf: gone).count
                return recovery
            }
        }
    }

    /// Takes the lock under which every change to ``dailyCounts`` happens (claims, retries, take-overs), for the
    /// rest of the transaction.
    static func lockQuotas(_ c: PostgresConnection) throws {
        try c.query("SELECT pg_advisory_xact_lock($1)", [String(AdvisoryLock.claim)])
    }

    /// Puts expired leases (and the claims of `gone` senders) back in the queue and gives their quota counts back;
    /// returns the seqs put back.
    /// Runs under ``lockQuotas(_:)``.
    static func takeOverExpiredLeases(_ c: PostgresConnection, timestamp: String, alsoOf gone: [String] = []) throws -> [Int] {
        let rows = try c.query(
            """
            UPDATE smsbatch.messages m SET state = 'queued', sent_day = NULL, worker = NULL, lease_until = NULL,
                gateway_message_id = NULL, updated_at = $1, last_error = $2
            FROM (SELECT seq, sent_day FROM smsbatch.messages
                  WHERE state = 'sending' AND (lease_until < now() OR worker = ANY($3::text[])) FOR UPDATE) old
            WHERE m.seq = old.seq
            RETURNING m.seq, m.msisdn, m.rule, old.sent_day
            """, [timestamp, DeliveryPolicy.interruptedReason, PostgresArray.literal(gone)])
        try uncount(c, rows.values.map { ($0[3] ?? "", $0[1] ?? "", $0[2] ?? "") })
        return rows.values.compactMap { $0[0].flatMap { Int($0) } }
    }

    /// Counts messages against the quotas of their day: one per (day, msisdn, rule), and the day's total under
    /// msisdn and rule `''`. Runs under ``lockQuotas(_:)``.
    static func count(_ c: PostgresConnection, _ sends: [(day: String, msisdn: String, rule: String)], by delta: Int = 1) throws {
        guard !sends.isEmpty else { return }
        let keys = sends.flatMap { [($0.day, $0.msisdn, $0.rule), ($0.day, "", "")] }
        try c.query(
            """
            INSERT INTO smsbatch.daily_counts(day, msisdn, rule, sent)
            SELECT day, msisdn, rule, count(*) * $4::int FROM unnest($1::text[], $2::text[], $3::text[]) AS t(day, msisdn, rule)
            GROUP BY day, msisdn, rule ORDER BY day, msisdn, rule
            ON CONFLICT (day, msisdn, rule) DO UPDATE SET sent = daily_counts.sent + excluded.sent
            """,
            [
                PostgresArray.literal(keys.map(\.0)), PostgresArray.literal(keys.map(\.1)), PostgresArray.literal(keys.map(\.2)),
                String(delta),
            ])
    }

    /// Gives back the counts of messages that were not sent after all.
    static func uncount(_ c: PostgresConnection, _ sends: [(day: String, msisdn: String, rule: String)]) throws {
        try count(c, sends.filter { !$0.day.isEmpty }, by: -1)
    }

    public func expire(before day: String, timestamp: String) throws(LedgerError) -> Int {
        guard exists else { return 0 }
        return try guarded {
            try connection.query(
                """
                WITH gone AS (
                    UPDATE smsbatch.messages SET state = 'expired', updated_at = $1
                    WHERE state = 'deferred' AND expires_day IS NOT NULL AND expires_day < $2 RETURNING 1)
                SELECT count(*) FROM gone
                """, [timestamp, day]
            ).int(0, 0)
        }
    }

    public func waitingCount(on day: String) throws(LedgerError) -> Int {
        guard exists else { return 0 }
        return try guarded {
            try connection.query("SELECT count(*) FROM smsbatch.messages WHERE state IN ('queued', 'deferred') AND due_day <= $1", [day]).int(0, 0)
        }
    }

    public func startDelivery(_ policy: DeliveryPolicy) throws(LedgerError) -> any DeliverySession {
        PostgresDeliverySession(ledger: self, policy: policy)
    }
}
