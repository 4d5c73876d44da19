import SMSCore

extension PostgresLedger {
    /// Puts back in the queue the messages whose sender's lease ran out (it died or hung while sending). Leases of
    /// live senders are left alone, so this is safe while others send.
    public func recoverInterrupted(timestamp: String) throws(LedgerError) -> Int {
        guard exists else { return 0 }
        return try guarded { try PostgresLedger.takeOverExpiredLeases(connection, timestamp: timestamp).count }
    }

    /// The statement behind ``recoverInterrupted(timestamp:)``; returns the seqs put back.
    static func takeOverExpiredLeases(_ c: PostgresConnection, timestamp: String) throws -> [Int] {
        try c.query("""
            UPDATE smsbatch.messages SET state = 'queued', sent_day = NULL, worker = NULL, lease_until = NULL,
                updated_at = $1, last_error = 'interrupted while sending; sent again under the same id'
            WHERE state = 'sending' AND lease_until < clock_timestamp()
            RETURNING seq
            """, [timestamp]).values.compactMap { $0[0].flatMap { Int($0) } }
    }

    public func expire(before day: String, timestamp: String) throws(LedgerError) -> Int {
        guard exists else { return 0 }
        return try guarded {
            try connection.query("""
                WITH gone AS (
                    UPDATE smsbatch.messages SET state = 'expired', updated_at = $1
                    WHERE state = 'deferred' AND expires_day IS NOT NULL AND expires_day < $2 RETURNING 1)
                SELECT count(*) FROM gone
                """, [timestamp, day]).int(0, 0)
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
