import SMSCore

/// One sender's pass over a shared PostgreSQL ledger.
///
/// Each claim is one transaction: it takes the claim advisory lock (so quota counts and the marks that change them
/// are decided one claim at a time across all senders), puts expired leases back in the queue, picks the next
/// waiting messages in plan order with `FOR UPDATE SKIP LOCKED`, counts what today already holds, defers what the
/// quotas hold back and marks the rest `sending` under this sender's name with a lease.
struct PostgresDeliverySession: DeliverySession {
    let ledger: PostgresLedger
    let policy: DeliveryPolicy
    /// Plan position this pass has claimed up to; a message sent back for a retry waits for the next pass.
    private var cursor = 0

    init(ledger: PostgresLedger, policy: DeliveryPolicy) {
        self.ledger = ledger
        self.policy = policy
    }

    mutating func claim(limit: Int, tag: String?) throws(LedgerError) -> ClaimedBatch? {
        guard ledger.exists else { return nil }
        let c = ledger.connection
        let policy = self.policy
        var cursor = self.cursor
        let claimed: ClaimedBatch? = try ledger.guarded {
            try c.transaction {
                try PostgresLedger.lockQuotas(c)
                let recovered = try PostgresLedger.takeOverExpiredLeases(c, timestamp: policy.timestamp)
                if let first = recovered.min() { cursor = min(cursor, first - 1) }
                let rows = try c.query(
                    """
                    SELECT seq, id, msisdn, rule, keys, text, units, segments, stars, brand, template, state, attempts, due_day
                    FROM smsbatch.messages
                    WHERE state IN ('queued', 'deferred') AND seq > $1 AND due_day <= $2
                    ORDER BY seq LIMIT $3
                    FOR UPDATE SKIP LOCKED
                    """, [String(cursor), policy.day, String(limit)])
                guard rows.count > 0 else { return nil }
                let candidates = try (0..<rows.count).map { (r) throws(LedgerError) in
                    try LedgerMessage(columns: { rows[r, $0] }, { rows.int(r, $0) }, day: policy.day, registry: ledger.registry)
                }
                cursor = candidates.last!.seq

                var counts = QuotaCounts()
                let counted = try c.query(
                    """
                    SELECT msisdn, rule, sent FROM smsbatch.daily_counts WHERE day = $1 AND msisdn = ANY($2::text[])
                    """, [policy.day, PostgresArray.literal(Set(candidates.map(\.message.msisdn)).union([""]))])
                for row in counted.values {
                    let (msisdn, rule, n) = (row[0] ?? "", row[1] ?? "", row[2].flatMap { Int($0) } ?? 0)
                    if msisdn.isEmpty {
                        counts.sentToday = n
                    } else if !policy.capExempt.contains(where: { $0.rawValue == rule }) {
                        counts.perSubscriber[msisdn, default: 0] += n
                    }
                }
                let admission = counts.admit(candidates, under: policy)
                let (heldByQuota, heldByCap) = (admission.heldByQuota, admission.heldByCap)
                var batch = admission.batch
                batch.recovered = recovered.count
                for (held, reason) in [(heldByQuota, DeliveryPolicy.quotaReason), (heldByCap, DeliveryPolicy.capReason)] where !held.isEmpty {
                    try c.query(
                        """
                        UPDATE smsbatch.messages SET state = 'deferred', due_day = $1, last_error = $2, updated_at = $3
                        WHERE seq = ANY($4::bigint[])
                        """, [policy.deferUntil, reason, policy.timestamp, PostgresArray.literal(held)])
                }
                if !batch.messages.isEmpty {
                    try PostgresLedger.count(c, batch.messages.map { (policy.day, $0.message.msisdn, $0.message.rule.rawValue) })
                    try c.query(
                        """
                        UPDATE smsbatch.messages SET state = 'sending', attempts = attempts + 1, sent_day = $1, updated_at = $2,
                            worker = $3, lease_until = now() + make_interval(secs => $4::int), gateway_message_id = $6
                        WHERE seq = ANY($5::bigint[])
                        """,
                        [
                            policy.day, policy.timestamp, policy.worker, String(policy.leaseSeconds),
                            PostgresArray.literal(batch.messages.map(\.seq)), tag,
                        ])
                }
                return batch
            }
        }
        self.cursor = cursor
        return claimed
    }

    /// Settles a batch in one transaction. A retry goes back to the queue only while the message is still this
    /// sender's (another sender may have taken an expired lease over).
    mutating func settle(_ settlements: [Settlement], timestamp: String) throws(LedgerError) {
        var plain: [Int] = []
        var withID: [(Int, String)] = []
        var rejected: [(Int, Int, String)] = []
        var retry: [(Int, String)] = []
        var untried: [Int] = []
        var unreject: [(Int, String)] = []
        for s in settlements {
            switch s.result {
            case .sent(nil): plain.append(s.seq)
            case let .sent(id?): withID.append((s.seq, id))
            case let .rejected(status, reply): rejected.append((s.seq, status, reply))
            case let .retryLater(reason): retry.append((s.seq, reason))
            case .untried: untried.append(s.seq); retry.append((s.seq, ""))
            case let .requeueRejected(reason): unreject.append((s.seq, reason))
            }
        }
        let c = ledger.connection
        let worker = policy.worker
        try ledger.guarded {
            try c.transaction {
                if !plain.isEmpty || !withID.isEmpty {
                    try c.query(
                        """
                        UPDATE smsbatch.messages m SET state = 'sent', sent_at = $1, updated_at = $1, gateway_message_id = t.gid,
                            last_error = NULL, worker = NULL, lease_until = NULL
                        FROM unnest($2::bigint[], $3::text[]) AS t(seq, gid)
                        WHERE m.seq = t.seq AND m.state = 'sending'
                        """,
                        [
                            timestamp, PostgresArray.literal(plain + withID.map(\.0)),
                            PostgresArray.literal(plain.map { _ in String?.none } + withID.map { Optional($0.1) }),
                        ])
                }
                let segmented = settlements.filter { if case .sent = $0.result { return !$0.segmentIDs.isEmpty } else { return false } }
                if !segmented.isEmpty {
                    let rows = segmented.flatMap { s in s.segmentIDs.enumerated().map { (id: $0.element, seq: s.seq, part: $0.offset + 1) } }
                    try c.query("DELETE FROM smsbatch.segments WHERE seq = ANY($1::bigint[])", [PostgresArray.literal(segmented.map(\.seq))])
                    try c.query(
                        """
                        INSERT INTO smsbatch.segments(msg_id, seq, part) SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[])
                        ON CONFLICT (msg_id, seq) DO UPDATE SET part = excluded.part, code = NULL, at = NULL
                        """, [PostgresArray.literal(rows.map(\.id)), PostgresArray.literal(rows.map(\.seq)), PostgresArray.literal(rows.map(\.part))])
                }
                if !rejected.isEmpty {
                    try c.query(
                        """
                        UPDATE smsbatch.messages m SET state = 'rejected', reply_status = t.status, last_error = t.reply,
                            updated_at = $1, worker = NULL, lease_until = NULL
                        FROM unnest($2::bigint[], $3::int[], $4::text[]) AS t(seq, status, reply)
                        WHERE m.seq = t.seq AND m.state = 'sending'
                        """,
                        [
                            timestamp, PostgresArray.literal(rejected.map(\.0)), PostgresArray.literal(rejected.map(\.1)),
                            PostgresArray.literal(rejected.map(\.2)),
                        ])
                }
                if !retry.isEmpty {
                    try PostgresLedger.lockQuotas(c)
                    let returned = try c.query(
                        """
                        UPDATE smsbatch.messages m SET state = 'queued', sent_day = NULL, updated_at = $1,
                            last_error = CASE WHEN t.seq = ANY($5::bigint[]) THEN m.last_error ELSE t.reason END,
                            attempts = CASE WHEN t.seq = ANY($5::bigint[]) THEN greatest(m.attempts - 1, 0) ELSE m.attempts END,
                            worker = NULL, lease_until = NULL, gateway_message_id = NULL
                        FROM unnest($2::bigint[], $3::text[]) AS t(seq, reason),
                            (SELECT seq, sent_day FROM smsbatch.messages WHERE seq = ANY($2::bigint[]) FOR UPDATE) old
                        WHERE m.seq = t.seq AND old.seq = t.seq AND m.state = 'sending' AND m.worker = $4
                        RETURNING old.sent_day, m.msisdn, m.rule
                        """,
                        [
                            timestamp, PostgresArray.literal(retry.map(\.0)), PostgresArray.literal(retry.map(\.1)), worker,
                            PostgresArray.literal(untried),
                        ])
                    try PostgresLedger.uncount(c, returned.values.map { ($0[0] ?? "", $0[1] ?? "", $0[2] ?? "") })
                }
                if !unreject.isEmpty {
                    try PostgresLedger.lockQuotas(c)
                    let returned = try c.query(
                        """
                        UPDATE smsbatch.messages m SET state = 'queued', sent_day = NULL, reply_status = NULL, last_error = t.reason,
                            updated_at = $1, gateway_message_id = NULL
                        FROM unnest($2::bigint[], $3::text[]) AS t(seq, reason),
                            (SELECT seq, sent_day FROM smsbatch.messages WHERE seq = ANY($2::bigint[]) FOR UPDATE) old
                        WHERE m.seq = t.seq AND old.seq = t.seq AND m.state = 'rejected'
                        RETURNING old.sent_day, m.msisdn, m.rule
                        """, [timestamp, PostgresArray.literal(unreject.map(\.0)), PostgresArray.literal(unreject.map(\.1))])
                    try PostgresLedger.uncount(c, returned.values.map { ($0[0] ?? "", $0[1] ?? "", $0[2] ?? "") })
                }
            }
        }
    }
}
