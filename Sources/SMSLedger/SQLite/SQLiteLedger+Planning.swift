import SMSCore

extension SQLiteLedger {
    /// Every recorded item key, for the planner's "already sent" checks.
    public func history() throws(LedgerError) -> InMemoryKeyHistory {
        try guarded {
            var history = InMemoryKeyHistory()
            let stmt = try db.prepare("SELECT key FROM items")
            stmt.bind([])
            while try stmt.step() {
                if let key = stmt.text(0) { history.insert(key) }
            }
            return history
        }
    }

    /// Records planned messages as `queued`, in order, with their keys; returns how many were new.
    /// A message whose id is already recorded (the same keys) is skipped.
    public func record(_ messages: [RenderedMessage], planDay: CalendarDate, dueDay: String,
                       expiry: (RenderedMessage) -> CalendarDate?, timestamp: String) throws(LedgerError) -> Int {
        try guarded {
            try db.transaction {
                var seq = try db.prepare("SELECT coalesce(max(seq), 0) FROM messages").rows { $0.int(0) }.first ?? 0
                let insertMessage = try db.prepare("""
                    INSERT OR IGNORE INTO messages(id, seq, plan_day, rule, msisdn, brand, template, stars, text, units,
                        segments, keys, state, due_day, expires_day, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)
                    """)
                let insertItem = try db.prepare("INSERT INTO items(key, message_id) VALUES (?, ?)")
                var recorded = 0
                for m in messages {
                    seq += 1
                    try insertMessage.run([
                        .text(m.id), .int(seq), .text(planDay.description), .text(m.rule.rawValue), .text(m.msisdn),
                        .text(m.brand.rawValue), .text(m.template), .int(m.stars), .text(m.text), .int(m.units),
                        .int(m.segments), .text(m.keys.joined(separator: "\n")), .text(dueDay),
                        expiry(m)?.description.sql ?? .null, .text(timestamp), .text(timestamp),
                    ])
                    guard db.changes == 1 else { continue }
                    recorded += 1
                    for key in m.keys { try insertItem.run([.text(key), .text(m.id)]) }
                }
                return recorded
            }
        }
    }
}

extension String {
    var sql: SQLValue { .text(self) }
}
