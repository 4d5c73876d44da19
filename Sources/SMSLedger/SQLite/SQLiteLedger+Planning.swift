import SMSCore

extension SQLiteLedger {
    /// Every recorded item key, for the planner's "already sent" checks.
    public func history() throws(LedgerError) -> InMemoryKeyHistory {
        try guarded {
            var history = InMemoryKeyHistory(registry: registry)
            let stmt = try db.prepare("SELECT key FROM items")
            stmt.bind([])
            while try stmt.step() {
                if let key = stmt.text(0) { history.insert(key) }
            }
            return history
        }
    }

    /// Records planned messages as `queued` (or `held`, with the reason), in order, with their keys; returns how
    /// many were new.
    /// A message any of whose keys is already recorded is skipped whole. Keys go in in key order (the index's order).
    public func record(
        _ messages: [RenderedMessage], planDay: CalendarDate, dueDay: String, plan: String?,
        expiry: (RenderedMessage) -> CalendarDate?, timestamp: String
    ) throws(LedgerError) -> Int {
        try guarded {
            try db.transaction {
                let first = (try db.prepare("SELECT coalesce(max(seq), 0) FROM messages").rows { $0.int(0) }.first ?? 0) + 1
                var keys: [(key: String, seq: Int)] = []
                for (i, m) in messages.enumerated() { for key in m.keys { keys.append((key, first + i)) } }
                keys.sort { $0.key < $1.key }
                let insertItem = try db.prepare("INSERT OR IGNORE INTO items(key, seq) VALUES (?, ?)")
                var taken = [Int](repeating: 0, count: messages.count)
                for k in keys {
                    try insertItem.run([.text(k.key), .int(k.seq)])
                    taken[k.seq - first] += db.changes
                }
                let insertMessage = try db.prepare(
                    """
                    INSERT INTO messages(seq, rule, msisdn, state, due_day, expires_day, updated_at, last_error, plan)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let insertBody = try db.prepare(
                    """
                    INSERT INTO bodies(seq, id, plan_day, brand, template, stars, text, units, segments, keys, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let giveBack = try db.prepare("DELETE FROM items WHERE key = ? AND seq = ?")
                var recorded = 0
                for (i, m) in messages.enumerated() {
                    let seq = first + i
                    guard taken[i] == m.keys.count else {
                        for key in m.keys { try giveBack.run([.text(key), .int(seq)]) }
                        continue
                    }
                    try insertMessage.run([
                        .int(seq), .text(m.rule.rawValue), .text(m.msisdn),
                        .text(MessageState.recorded(m, gated: plan != nil).rawValue),
                        .text(dueDay), expiry(m)?.description.sql ?? .null, .text(timestamp),
                        m.hold?.sentence.sql ?? .null, m.hold == nil ? plan?.sql ?? .null : .null,
                    ])
                    try insertBody.run([
                        .int(seq), .text(m.id), .text(planDay.description), .text(m.brand.rawValue), .text(m.template),
                        .int(m.stars), .text(m.text), .int(m.units), .int(m.segments), .text(StoredKeys.text(m.keys)),
                        .text(timestamp),
                    ])
                    recorded += 1
                }
                return recorded
            }
        }
    }
}

extension String {
    var sql: SQLValue { .text(self) }
}
