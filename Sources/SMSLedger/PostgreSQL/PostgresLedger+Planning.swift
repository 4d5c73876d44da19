import SMSCore

extension PostgresLedger {
    public func history() throws(LedgerError) -> InMemoryKeyHistory {
        var history = InMemoryKeyHistory(registry: registry)
        guard exists else { return history }
        try guarded {
            for row in try connection.query("SELECT key FROM smsbatch.items").values {
                if let key = row[0] { history.insert(key) }
            }
        }
        return history
    }

    /// Records a chunk in one transaction. Keys are claimed first, in the database's sort order (so two planners
    /// racing on the same keys wait for each other instead of deadlocking; a deadlock all the same runs it again); a message is queued only if every one of its keys was free,
    /// and the keys it did get are given back otherwise.
    public func record(
        _ messages: [RenderedMessage], planDay: CalendarDate, dueDay: String, plan: String?,
        expiry: (RenderedMessage) -> CalendarDate?, timestamp: String
    ) throws(LedgerError) -> Int {
        guard !messages.isEmpty else { return 0 }
        var pairs: [(key: String, id: String)] = []
        for m in messages { for key in m.keys { pairs.append((key, m.id)) } }
        let keyArray = PostgresArray.literal(pairs.map(\.key))
        let idArray = PostgresArray.literal(pairs.map(\.id))
        return try guarded {
            try connection.transaction {
                let taken = Set(
                    try connection.query(
                        """
                        INSERT INTO smsbatch.items(key, message_id)
                        SELECT k, m FROM unnest($1::text[], $2::text[]) AS t(k, m) ORDER BY k
                        ON CONFLICT (key) DO NOTHING RETURNING key
                        """, [keyArray, idArray]
                    ).values.compactMap { $0[0] })
                var fresh: [RenderedMessage] = []
                var giveBack: [String] = []
                for m in messages {
                    let mine = m.keys.filter(taken.contains)
                    if mine.count == m.keys.count {
                        fresh.append(m)
                    } else {
                        giveBack += mine
                    }
                }
                if !giveBack.isEmpty {
                    try connection.query("DELETE FROM smsbatch.items WHERE key = ANY($1::text[])", [PostgresArray.literal(giveBack)])
                }
                guard !fresh.isEmpty else { return 0 }
                try connection.query(
                    """
                    INSERT INTO smsbatch.messages(id, rule, msisdn, brand, template, stars, text, units, segments, keys,
                        expires_day, plan_day, due_day, state, last_error, created_at, updated_at, plan)
                    SELECT id, rule, msisdn, brand, template, stars, text, units, segments, keys, expires_day,
                        $12, $13, state, reason, $14, $14, CASE WHEN state = 'awaiting' THEN $17 END
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],
                                $8::int[], $9::int[], $10::text[], $11::text[], $15::text[], $16::text[]) WITH ORDINALITY
                        AS t(id, rule, msisdn, brand, template, stars, text, units, segments, keys, expires_day, state, reason, n)
                    ORDER BY n
                    ON CONFLICT (id) DO NOTHING
                    """,
                    [
                        PostgresArray.literal(fresh.map(\.id)), PostgresArray.literal(fresh.map(\.rule.rawValue)),
                        PostgresArray.literal(fresh.map(\.msisdn)), PostgresArray.literal(fresh.map(\.brand.rawValue)),
                        PostgresArray.literal(fresh.map(\.template)), PostgresArray.literal(fresh.map(\.stars)),
                        PostgresArray.literal(fresh.map(\.text)), PostgresArray.literal(fresh.map(\.units)),
                        PostgresArray.literal(fresh.map(\.segments)),
                        PostgresArray.literal(fresh.map { StoredKeys.text($0.keys) }),
                        PostgresArray.literal(fresh.map { expiry($0)?.description }),
                        planDay.description, dueDay, timestamp,
                        PostgresArray.literal(fresh.map { MessageState.recorded($0, gated: plan != nil).rawValue }),
                        PostgresArray.literal(fresh.map { $0.hold?.sentence }), plan,
                    ])
                return fresh.count
            }
        }
    }

    public func finishRecording() throws(LedgerError) {
        _ = try guarded { try connection.query("ANALYZE smsbatch.messages") }
    }
}
