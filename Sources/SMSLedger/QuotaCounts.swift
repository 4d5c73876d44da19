import SMSCore

/// What today's quotas have counted, and the decision for each candidate of a batch: send, or hold back.
struct QuotaCounts {
    /// Messages counted against `daily_quota` today.
    var sentToday = 0
    /// Messages counted against `per_subscriber_daily_cap` today, per msisdn (exempt rules not counted).
    var perSubscriber: [String: Int] = [:]

    /// A batch split by the quotas, in plan order.
    struct Admission {
        var batch = ClaimedBatch()
        var heldByQuota: [Int] = []
        var heldByCap: [Int] = []
    }

    /// Admits candidates in plan order while the quotas allow, counting each admitted one.
    mutating func admit(_ candidates: [LedgerMessage], under policy: DeliveryPolicy) -> Admission {
        var admission = Admission()
        for candidate in candidates {
            let m = candidate.message
            let countsForCap = !policy.capExempt.contains(m.rule)
            if let quota = policy.dailyQuota, sentToday >= quota {
                admission.heldByQuota.append(candidate.seq)
                admission.batch.deferred[m.rule, default: 0] += 1
            } else if let cap = policy.perSubscriberCap, countsForCap, perSubscriber[m.msisdn, default: 0] >= cap {
                admission.heldByCap.append(candidate.seq)
                admission.batch.deferred[m.rule, default: 0] += 1
            } else {
                sentToday += 1
                if countsForCap { perSubscriber[m.msisdn, default: 0] += 1 }
                admission.batch.messages.append(candidate)
            }
        }
        return admission
    }
}
