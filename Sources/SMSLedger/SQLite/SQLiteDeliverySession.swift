import SMSCore

/// A pass over a SQLite ledger by its one sender (the holder of ``LedgerLock``): the quota counts live in memory,
/// and a cursor walks the queue in plan order once.
struct SQLiteDeliverySession: DeliverySession {
    let ledger: SQLiteLedger
    let policy: DeliveryPolicy
    private var cursor: Int
    private var sentToday: Int
    private var perSubscriber: [String: Int]
    /// Claimed and not yet settled: seq → the counts to give back if the gateway asks to retry later.
    private var inFlight: [Int: (msisdn: String, countsForCap: Bool)] = [:]

    init(ledger: SQLiteLedger, policy: DeliveryPolicy) throws(LedgerError) {
        self.ledger = ledger
        self.policy = policy
        (sentToday, perSubscriber) = try ledger.sentCounts(on: policy.day, exempt: policy.capExempt)
        cursor = try ledger.seqBeforeFirstWaiting()
    }

    mutating func claim(limit: Int) throws(LedgerError) -> ClaimedBatch? {
        let candidates = try ledger.deliverable(on: policy.day, afterSeq: cursor, limit: limit)
        guard let last = candidates.last else { return nil }
        cursor = last.seq
        var batch = ClaimedBatch()
        var heldByQuota: [Int] = []
        var heldByCap: [Int] = []
        for c in candidates {
            let m = c.message
            let countsForCap = !policy.capExempt.contains(m.rule)
            if let quota = policy.dailyQuota, sentToday >= quota {
                heldByQuota.append(c.seq)
                batch.deferred[m.rule, default: 0] += 1
                continue
            }
            if let cap = policy.perSubscriberCap, countsForCap, perSubscriber[m.msisdn, default: 0] >= cap {
                heldByCap.append(c.seq)
                batch.deferred[m.rule, default: 0] += 1
                continue
            }
            sentToday += 1
            if countsForCap { perSubscriber[m.msisdn, default: 0] += 1 }
            inFlight[c.seq] = (m.msisdn, countsForCap)
            batch.messages.append(c)
        }
        if !heldByQuota.isEmpty {
            try ledger.deferMessages(heldByQuota, until: policy.deferUntil, reason: DeliveryPolicy.quotaReason, timestamp: policy.timestamp)
        }
        if !heldByCap.isEmpty {
            try ledger.deferMessages(heldByCap, until: policy.deferUntil, reason: DeliveryPolicy.capReason, timestamp: policy.timestamp)
        }
        if !batch.messages.isEmpty {
            try ledger.markSending(batch.messages.map(\.seq), day: policy.day, timestamp: policy.timestamp)
        }
        return batch
    }

    mutating func settle(_ settlements: [Settlement], timestamp: String) throws(LedgerError) {
        try ledger.settle(settlements, timestamp: timestamp)
        for s in settlements {
            guard let claimed = inFlight.removeValue(forKey: s.seq) else { continue }
            if case .retryLater = s.result {
                sentToday -= 1
                if claimed.countsForCap { perSubscriber[claimed.msisdn, default: 1] -= 1 }
            }
        }
    }
}

extension SQLiteLedger {
    public func startDelivery(_ policy: DeliveryPolicy) throws(LedgerError) -> any DeliverySession {
        try SQLiteDeliverySession(ledger: self, policy: policy)
    }
}
