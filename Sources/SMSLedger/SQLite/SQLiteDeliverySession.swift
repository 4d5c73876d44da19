import SMSCore

/// A pass over a SQLite ledger by its one sender (the holder of ``LedgerLock``): the quota counts live in memory,
/// and a cursor walks the queue in plan order once.
struct SQLiteDeliverySession: DeliverySession {
    let ledger: SQLiteLedger
    let policy: DeliveryPolicy
    private var cursor: Int
    private var counts = QuotaCounts()
    /// Claimed and not yet settled: seq → the counts to give back if the gateway asks to retry later.
    private var inFlight: [Int: (msisdn: String, countsForCap: Bool)] = [:]
    /// Rejected in this pass: their counts go back if a circuit breaker puts them back in the queue.
    private var rejected: [Int: (msisdn: String, countsForCap: Bool)] = [:]

    init(ledger: SQLiteLedger, policy: DeliveryPolicy) throws(LedgerError) {
        self.ledger = ledger
        self.policy = policy
        (counts.sentToday, counts.perSubscriber) = try ledger.sentCounts(on: policy.day, exempt: policy.capExempt)
        cursor = try ledger.seqBeforeFirstWaiting()
    }

    mutating func claim(limit: Int, tag: String?) throws(LedgerError) -> ClaimedBatch? {
        let candidates = try ledger.deliverable(on: policy.day, afterSeq: cursor, limit: limit)
        guard let last = candidates.last else { return nil }
        cursor = last.seq
        let admission = counts.admit(candidates, under: policy)
        let (batch, heldByQuota, heldByCap) = (admission.batch, admission.heldByQuota, admission.heldByCap)
        for c in batch.messages { inFlight[c.seq] = (c.message.msisdn, !policy.capExempt.contains(c.message.rule)) }
        for (held, reason) in [(heldByQuota, DeliveryPolicy.quotaReason), (heldByCap, DeliveryPolicy.capReason)] where !held.isEmpty {
            try ledger.deferMessages(held, until: policy.deferUntil, reason: reason, timestamp: policy.timestamp)
        }
        if !batch.messages.isEmpty {
            try ledger.markSending(batch.messages.map(\.seq), day: policy.day, tag: tag, timestamp: policy.timestamp)
        }
        return batch
    }

    mutating func settle(_ settlements: [Settlement], timestamp: String) throws(LedgerError) {
        try ledger.settle(settlements, timestamp: timestamp)
        for s in settlements {
            if case .requeueRejected = s.result, let claimed = rejected.removeValue(forKey: s.seq) {
                counts.sentToday -= 1
                if claimed.countsForCap { counts.perSubscriber[claimed.msisdn, default: 1] -= 1 }
                continue
            }
            guard let claimed = inFlight.removeValue(forKey: s.seq) else { continue }
            if case .rejected = s.result { rejected[s.seq] = claimed }
            switch s.result {
            case .retryLater, .untried:
                counts.sentToday -= 1
                if claimed.countsForCap { counts.perSubscriber[claimed.msisdn, default: 1] -= 1 }
            case .sent, .rejected, .requeueRejected:
                break
            }
        }
    }
}

extension SQLiteLedger {
    public func startDelivery(_ policy: DeliveryPolicy) throws(LedgerError) -> any DeliverySession {
        try SQLiteDeliverySession(ledger: self, policy: policy)
    }
}
