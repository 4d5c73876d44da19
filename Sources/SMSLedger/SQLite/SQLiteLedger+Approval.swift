import SMSCore

extension SQLiteLedger {
    public func adoptUnsealedPlans(token: String) throws(LedgerError) -> Int {
        try guarded {
            try db.transaction {
                try db.prepare("UPDATE messages SET plan = ? WHERE state = 'awaiting' AND plan LIKE 'pending:%' AND plan != ?")
                    .run([.text(token), .text(token)])
                return db.changes
            }
        }
    }

    public func sealPlan(token: String) throws(LedgerError) -> (digest: String, messages: Int) {
        try guarded {
            try db.transaction {
                var digest = PlanDigest()
                let rows = try db.prepare(
                    """
                    SELECT b.id, b.text FROM messages m JOIN bodies b ON b.seq = m.seq
                    WHERE m.state = 'awaiting' AND m.plan = ? ORDER BY m.seq
                    """
                ).rows([.text(token)]) { ($0.text(0) ?? "", $0.text(1) ?? "") }
                for (id, text) in rows { digest.add(id: id, text: text) }
                let hex = digest.hex()
                try db.prepare("UPDATE messages SET plan = ? WHERE state = 'awaiting' AND plan = ?").run([.text(hex), .text(token)])
                return (hex, rows.count)
            }
        }
    }

    public func pendingPlans() throws(LedgerError) -> [PendingPlan] {
        try guarded {
            let rows = try db.prepare(
                """
                SELECT m.plan, b.plan_day, m.seq, b.id, m.msisdn, m.rule, b.keys, b.text, b.units, b.segments, b.stars, b.brand,
                    b.template
                FROM messages m JOIN bodies b ON b.seq = m.seq WHERE m.state = 'awaiting' ORDER BY m.seq
                """
            ).rows { s in
                Result { () throws(LedgerError) in
                    (
                        s.text(0) ?? "", s.text(1) ?? "",
                        RenderedMessage(
                            id: s.text(3) ?? "", msisdn: s.text(4) ?? "", rule: try RuleKind.stored(s.text(5) ?? "", in: registry),
                            keys: StoredKeys.keys(s.text(6) ?? ""), text: s.text(7) ?? "", units: s.int(8), segments: s.int(9),
                            stars: s.int(10), brand: Brand(rawValue: s.text(11) ?? "") ?? .easyown, template: s.text(12) ?? "")
                    )
                }
            }.map { (r) throws(LedgerError) in try r.get() }
            return PendingPlan.grouped(rows)
        }
    }

    public func approve(digest: String, by: String, note: String?, day: String, timestamp: String) throws(LedgerError) -> ApprovalOutcome {
        try guarded {
            try db.transaction {
                let existing = try db.prepare("SELECT count(*) FROM approvals WHERE digest = ?").rows([.text(digest)]) { $0.int(0) }.first ?? 0
                if existing == 0 {
                    try db.prepare("INSERT INTO approvals(digest, by_name, at, note) VALUES (?, ?, ?, ?)")
                        .run([.text(digest), .text(by), .text(timestamp), note?.sql ?? .null])
                }
                let released = try releaseApproved(digest: digest, day: day, timestamp: timestamp)
                return ApprovalOutcome(released: released, alreadyApproved: existing > 0)
            }
        }
    }

    public func releaseIfApproved(digest: String, day: String, timestamp: String) throws(LedgerError) -> Int {
        try guarded { try db.transaction { try releaseApproved(digest: digest, day: day, timestamp: timestamp) } }
    }

    /// Puts the awaiting messages of an approved `digest` in the queue; returns how many. Runs in a transaction.
    func releaseApproved(digest: String, day: String, timestamp: String) throws -> Int {
        let approved = try db.prepare("SELECT count(*) FROM approvals WHERE digest = ?").rows([.text(digest)]) { $0.int(0) }.first ?? 0
        guard approved > 0 else { return 0 }
        // A notice whose announced date has passed while it waited is not sent late: it expires.
        try db.prepare(
            """
            UPDATE messages SET state = 'expired', updated_at = ?
            WHERE state = 'awaiting' AND plan = ? AND expires_day IS NOT NULL AND expires_day < ?
            """
        ).run([.text(timestamp), .text(digest), .text(day)])
        try db.prepare(
            """
            UPDATE messages SET state = 'queued', due_day = min(due_day, ?), updated_at = ? WHERE state = 'awaiting' AND plan = ?
            """
        ).run([.text(day), .text(timestamp), .text(digest)])
        let released = db.changes
        if released > 0 {
            try db.prepare("UPDATE approvals SET messages = messages + ?, used_at = ? WHERE digest = ?")
                .run([.int(released), .text(timestamp), .text(digest)])
        }
        return released
    }

    public func approvals() throws(LedgerError) -> [Approval] {
        try guarded {
            try db.prepare("SELECT digest, by_name, at, note, messages, used_at FROM approvals ORDER BY at DESC").rows { s in
                Approval(
                    digest: s.text(0) ?? "", by: s.text(1) ?? "", at: s.text(2) ?? "", note: s.text(3), messages: s.int(4),
                    usedAt: s.text(5))
            }
        }
    }
}

extension PendingPlan {
    /// Rows of (plan, plan day, message) in send order, grouped by plan in order of first appearance.
    static func grouped(_ rows: [(String, String, RenderedMessage)]) -> [PendingPlan] {
        var plans: [PendingPlan] = []
        var index: [String: Int] = [:]
        for (plan, day, message) in rows {
            if let i = index[plan] {
                plans[i].messages.append(message)
            } else {
                index[plan] = plans.count
                plans.append(PendingPlan(digest: plan, planDay: day, messages: [message]))
            }
        }
        return plans
    }
}
