import SMSCore

extension SQLiteLedger {
    /// Receipts are matched in one pass: they go into a temporary table keyed by id, which the messages' ids and
    /// gateway ids are looked up in (no index on every message id is kept for this).
    public func applyReceipts(_ receipts: [Receipt], timestamp: String) throws(LedgerError) -> ReceiptOutcome {
        try guarded {
            try db.transaction {
                try db.execute("""
                    CREATE TEMP TABLE IF NOT EXISTS receipts_in(id TEXT PRIMARY KEY, delivered INTEGER NOT NULL, code TEXT NOT NULL,
                        at TEXT NOT NULL, seq INTEGER);
                    DELETE FROM receipts_in;
                    """)
                // Within a file, the latest report of an id wins.
                var latest: [String: Receipt] = [:]
                for r in receipts where latest[r.id].map({ $0.at < r.at }) ?? true { latest[r.id] = r }
                let insert = try db.prepare("INSERT INTO receipts_in(id, delivered, code, at) VALUES (?, ?, ?, ?)")
                for r in latest.values { try insert.run([.text(r.id), .int(r.delivered ? 1 : 0), .text(r.code), .text(r.at)]) }
                try db.execute("""
                    UPDATE receipts_in SET seq = (SELECT b.seq FROM bodies b WHERE b.id = receipts_in.id)
                        WHERE seq IS NULL AND length(id) = 32;
                    UPDATE receipts_in SET seq = (SELECT m.seq FROM messages m WHERE m.gateway_message_id = receipts_in.id
                        AND m.gateway_message_id IS NOT NULL LIMIT 1) WHERE seq IS NULL;
                    """)
                var outcome = ReceiptOutcome()
                outcome.unknownIDs = try db.prepare("SELECT id FROM receipts_in WHERE seq IS NULL ORDER BY id").rows { $0.text(0) ?? "" }
                try db.prepare("""
                    UPDATE messages SET
                        delivery = (SELECT CASE r.delivered WHEN 1 THEN 'delivered' ELSE 'undelivered' END FROM receipts_in r WHERE r.seq = messages.seq),
                        delivery_code = (SELECT r.code FROM receipts_in r WHERE r.seq = messages.seq),
                        delivery_at = (SELECT r.at FROM receipts_in r WHERE r.seq = messages.seq),
                        updated_at = ?
                    WHERE seq IN (SELECT r.seq FROM receipts_in r WHERE r.seq IS NOT NULL
                        AND (messages.delivery_at IS NULL OR r.at > messages.delivery_at))
                    """).run([.text(timestamp)])
                outcome.applied = db.changes
                outcome.unchanged = latest.count - outcome.unknownIDs.count - outcome.applied
                return outcome
            }
        }
    }

    public func deliveryReport() throws(LedgerError) -> DeliveryReport {
        try guarded {
            var report = DeliveryReport()
            let rows = try db.prepare("SELECT rule, delivery, count(*) FROM messages WHERE delivery IS NOT NULL GROUP BY rule, delivery")
                .rows { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2)) }
            for (rule, delivery, n) in rows {
                guard let r = RuleKind(rawValue: rule) else { continue }
                if delivery == "delivered" { report.delivered[r, default: 0] += n } else { report.undelivered[r, default: 0] += n }
            }
            report.topCodes = try db.prepare("""
                SELECT delivery_code, count(*) AS n FROM messages WHERE delivery = 'undelivered'
                GROUP BY delivery_code ORDER BY n DESC, delivery_code LIMIT 5
                """).rows { ($0.text(0) ?? "", $0.int(1)) }
            return report
        }
    }
}
