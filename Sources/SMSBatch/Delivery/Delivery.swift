import Foundation
import SMSCore
import SMSGateway
import SMSLedger

/// Hands what waits in the ledger to a gateway: window, quotas, marking, settling (SPEC §5).
struct Delivery {
    let ledger: any Ledger
    let gateway: any Gateway
    let configuration: Configuration
    let log: Log

    /// Rules whose notices the per-subscriber cap never holds back (mandatory notices).
    static let capExempt: Set<RuleKind> = [.trialExpiry]

    /// Names this process in a shared ledger's claims: host and process id (`gethostname`, no DNS lookup).
    static let worker: String = {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count - 1) == 0 ? String(cString: name) : "host"
        return host + ":" + String(ProcessInfo.processInfo.processIdentifier)
    }()

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
            var session = try ledger.startDelivery(DeliveryPolicy(
                day: today, deferUntil: tomorrow, dailyQuota: configuration.dailyQuota,
                perSubscriberCap: configuration.perSubscriberDailyCap, capExempt: Delivery.capExempt,
                worker: Delivery.worker, leaseSeconds: configuration.leaseSeconds, timestamp: stamp))
            while let claimed = try session.claim(limit: configuration.batchSize(remote: configuration.gatewayIsRemote)) {
                for (rule, n) in claimed.deferred { stats.deferredByRule[rule, default: 0] += n }
                if claimed.recovered > 0 {
                    stats.recovered += claimed.recovered
                    log.warning("took over \(claimed.recovered) messages whose sender stopped while sending them; sending them again under the same ids")
                }
                guard !claimed.messages.isEmpty else { continue }
                let batch = claimed.messages.map(\.message)
                let seqs = claimed.messages.map(\.seq)
                let outcomes: [DeliveryOutcome]
                do {
                    outcomes = try gateway.deliver(batch)
                } catch {
                    try session.settle(seqs.map { Settlement(seq: $0, result: .retryLater(reason: error.message)) }, timestamp: stamp)
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
                        settlements.append(Settlement(seq: seq, result: .retryLater(reason: reason)))
                    }
                }
                try session.settle(settlements, timestamp: stamp)
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
