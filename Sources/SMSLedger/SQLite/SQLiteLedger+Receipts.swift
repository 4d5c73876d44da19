import SMSCore

extension SQLiteLedger {
    /// Receipts are resolved to their messages first (by message id through an index on the ids, created the first
    /// time receipts come, or by the gateway's id), then the latest report of each message is applied when it is
    /// newer than what the ledger holds.
    public func applyReceipts(_ receipts: [Receipt], timestamp: String) throws(LedgerError) -> ReceiptOutcome {
        try guarded {
            try db.transaction {
                try db.execute(
                    """
                    CREATE INDEX IF NOT EXISTS bodies_id ON bodies(id);
                    CREATE TEMP TABLE IF NOT EXISTS receipts_in(id TEXT PRIMARY KEY);
                    DELETE FROM receipts_in;
                    """)
                let ids = Set(receipts.map(\.id))
                let insert = try db.prepare("INSERT INTO receipts_in(id) VALUES (?)")
                for id in ids { try insert.run([.text(id)]) }
                let resolved = try db.prepare(
                    """
                    SELECT r.id, b.seq, m.delivery_at FROM receipts_in r JOIN bodies b ON b.id = r.id JOIN messages m ON m.seq = b.seq
                    UNION ALL
                    SELECT r.id, m.seq, m.delivery_at FROM receipts_in r JOIN messages m
                        ON m.gateway_message_id = r.id AND m.gateway_message_id IS NOT NULL
                    """
                ).rows { ($0.text(0) ?? "", $0.int(1), $0.text(2)) }
                let (latest, outcome) = Receipt.latestPerMessage(receipts, resolved: resolved)
                let update = try db.prepare(
                    """
                    UPDATE messages SET delivery = ?, delivery_code = ?, delivery_at = ?, updated_at = ?
                    WHERE seq = ? AND (delivery_at IS NULL OR delivery_at < ?)
                    """)
                var result = outcome
                for (seq, r) in latest {
                    try update.run([
                        .text(r.delivered ? "delivered" : "undelivered"), .text(r.code), .text(r.at), .text(timestamp),
                        .int(seq), .text(r.at),
                    ])
                    result.applied += db.changes
                }
                result.unchanged += latest.count - result.applied
                return result
            }
        }
    }

    public func deliveryReport() throws(LedgerError) -> DeliveryReport {
        try guarded {
            var report = DeliveryReport()
            let rows = try db.prepare("SELECT rule, delivery, count(*) FROM messages WHERE delivery IS NOT NULL GROUP BY rule, delivery")
                .rows { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2)) }
            for (rule, delivery, n) in rows {
                let r = try RuleKind.stored(rule, in: registry)
                if delivery == "delivered" { report.delivered[r, default: 0] += n } else { report.undelivered[r, default: 0] += n }
            }
            report.topCodes = try db.prepare(
                """
                SELECT delivery_code, count(*) AS n FROM messages WHERE delivery = 'undelivered'
                GROUP BY delivery_code ORDER BY n DESC, delivery_code LIMIT 5
                """
            ).rows { ($0.text(0) ?? "", $0.int(1)) }
            return report
        }
    }
}

extension SQLiteLedger {
    public func applySegmentReports(_ reports: [Receipt], timestamp: String) throws(LedgerError) -> ReceiptOutcome {
        try guarded {
            try db.transaction {
                var outcome = ReceiptOutcome()
                var unknown = Set<String>()
                var touched = Set<Int>()
                // A centre may give a Msg_Id again (one restarted, counting anew): the report goes to the newest segment
                // of that id still waiting for one, else the newest.
                let find = try db.prepare("SELECT seq FROM segments WHERE msg_id = ? ORDER BY code IS NOT NULL, seq DESC LIMIT 1")
                let note = try db.prepare("UPDATE segments SET code = ?, at = ? WHERE msg_id = ? AND seq = ?")
                for r in reports {
                    guard let seq = try find.rows([.text(r.id)], { $0.int(0) }).first else { unknown.insert(r.id); continue }
                    try note.run([.text(r.code), .text(r.at), .text(r.id), .int(seq)])
                    touched.insert(seq)
                }
                let parts = try db.prepare("SELECT part, code FROM segments WHERE seq = ?")
                var rows: [(seq: Int, part: Int, code: String?)] = []
                for seq in touched { rows += try parts.rows([.int(seq)], { (seq, $0.int(0), $0.text(1)) }) }
                let update = try db.prepare(
                    """
                    UPDATE messages SET delivery = ?, delivery_code = ?, delivery_at = ?, updated_at = ?
                    WHERE seq = ? AND (delivery IS NOT ? OR delivery_code IS NOT ?)
                    """)
                for (seq, verdict) in SegmentVerdict.of(rows) {
                    try update.run([
                        .text(verdict.delivery), .text(verdict.code), .text(timestamp), .text(timestamp), .int(seq),
                        .text(verdict.delivery), .text(verdict.code),
                    ])
                    if db.changes > 0 { outcome.applied += 1 } else { outcome.unchanged += 1 }
                }
                outcome.unknownIDs = unknown.sorted()
                return outcome
            }
        }
    }
}
