import SMSCore
import SMSGateway
import SMSLedger

/// Hands what waits in the ledger to a gateway: window, quotas, marking, settling (SPEC §5).
struct Delivery {
    let ledger: Ledger
    let gateway: any Gateway
    let configuration: Configuration
    let log: Log

    /// Rules whose notices the per-subscriber cap never holds back (mandatory notices).
    static let capExempt: Set<RuleKind> = [.trialExpiry]

    func run(at now: LocalMoment, clock: Clock) throws(BatchError) -> DeliveryStatistics {
        var stats = DeliveryStatistics()
        let today = now.day.description
        let tomorrow = now.day.adding(days: 1).description
        let stamp = now.timestamp
        do {
            stats.recovered = try ledger.recoverInterrupted(timestamp: stamp)
            if stats.recovered > 0 {
                log.warning("\(stats.recovered) messages were being sent when a run stopped; sending them again under the same ids")
            }
            stats.expired = try ledger.expire(before: today, timestamp: stamp)
            let window = configuration.sendWindow
            guard window.contains(minuteOfDay: now.minuteOfDay) else {
                stats.waiting = try ledger.waitingCount(on: today)
                let opensToday = now.minuteOfDay < window.start
                stats.windowOpens = (opensToday ? today : tomorrow) + " " + SendWindow.clock(window.start)
                return stats
            }
            var (sentToday, perSubscriber) = try ledger.sentCounts(on: today, exempt: Delivery.capExempt)
            var cursor = try ledger.seqBeforeFirstWaiting()
            while true {
                let candidates = try ledger.deliverable(on: today, afterSeq: cursor, limit: configuration.batchSize)
                guard let last = candidates.last else { break }
                cursor = last.seq
                var batch: [RenderedMessage] = []
                var seqs: [Int] = []
                var held: [Int] = []
                var heldByQuota: [Int] = []
                var heldRules: [RuleKind] = []
                for c in candidates {
                    let m = c.message
                    if let quota = configuration.dailyQuota, sentToday >= quota {
                        heldByQuota.append(c.seq)
                        heldRules.append(m.rule)
                        continue
                    }
                    if let cap = configuration.perSubscriberDailyCap, !Delivery.capExempt.contains(m.rule),
                       perSubscriber[m.msisdn, default: 0] >= cap {
                        held.append(c.seq)
                        heldRules.append(m.rule)
                        continue
                    }
                    sentToday += 1
                    if !Delivery.capExempt.contains(m.rule) { perSubscriber[m.msisdn, default: 0] += 1 }
                    batch.append(m)
                    seqs.append(c.seq)
                }
                if !heldByQuota.isEmpty {
                    try ledger.deferMessages(heldByQuota, until: tomorrow, reason: "daily gateway quota reached", timestamp: stamp)
                }
                if !held.isEmpty {
                    try ledger.deferMessages(held, until: tomorrow, reason: "per-subscriber daily cap reached", timestamp: stamp)
                }
                for rule in heldRules { stats.deferredByRule[rule, default: 0] += 1 }
                guard !batch.isEmpty else { continue }
                try ledger.markSending(seqs, day: today, timestamp: stamp)
                let outcomes: [DeliveryOutcome]
                do {
                    outcomes = try gateway.deliver(batch)
                } catch {
                    try ledger.settle(seqs.map { Settlement(seq: $0, result: .retryLater(reason: error.message)) }, timestamp: stamp)
                    throw BatchError(error.kind == .unavailable ? .gatewayUnavailable : .io,
                                     "\(error.message); \(batch.count) messages of this batch stay queued")
                }
                var settlements: [Settlement] = []
                for ((m, seq), outcome) in zip(zip(batch, seqs), outcomes) {
                    switch outcome {
                    case let .accepted(gatewayID):
                        stats.sent[m.rule, default: 0] += 1
                        settlements.append(Settlement(seq: seq, result: .sent(gatewayMessageID: gatewayID)))
                    case let .rejected(status, body):
                        stats.rejectedByRule[m.rule, default: 0] += 1
                        settlements.append(Settlement(seq: seq, result: .rejected(status: status, reply: body)))
                    case let .transient(reason, _):
                        stats.failedByRule[m.rule, default: 0] += 1
                        sentToday -= 1
                        if !Delivery.capExempt.contains(m.rule) { perSubscriber[m.msisdn, default: 1] -= 1 }
                        settlements.append(Settlement(seq: seq, result: .retryLater(reason: reason)))
                    }
                }
                try ledger.settle(settlements, timestamp: stamp)
                if gateway.looksDown {
                    stats.waiting = try ledger.waitingCount(on: today)
                    throw BatchError(.gatewayUnavailable,
                                     "the gateway looks down (every recent transfer failed); stopped early, \(stats.waiting) messages stay queued for the next run")
                }
            }
        } catch let error as LedgerError {
            throw BatchError(.io, error.message)
        } catch let error as BatchError {
            throw error
        } catch {
            throw BatchError(.io, "\(error)")
        }
        return stats
    }
}
