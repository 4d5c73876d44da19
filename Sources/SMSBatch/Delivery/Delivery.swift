import Foundation
import SMSCore
import SMSGateway
import SMSLedger

/// Hands what waits in the ledger to a gateway: window, quotas, marking, settling (SPEC §5, §8).
///
/// Each reply is settled as it comes (one transaction per round of replies), so a run that dies re-sends at most
/// what was in flight. A stop (SIGTERM, SIGINT, a misconfigured gateway) claims nothing more, settles what is in
/// flight and puts what was claimed but never handed over back in the queue.
struct Delivery {
    let ledger: any Ledger
    let gateway: any Gateway
    let configuration: Configuration
    let log: Log

    /// Names this process in a shared ledger's claims: host, PID namespace and process id (`gethostname`, no DNS
    /// lookup). A rerun takes over the claims of a worker with the same host and namespace whose process is gone;
    /// the namespace keeps containers that share a host name from judging each other's processes.
    static let worker: String = {
        var name = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&name, name.count - 1) == 0 ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "host"
        var info = stat()
        let namespace = stat("/proc/self/ns/pid", &info) == 0 ? String(info.st_ino) : "0"
        return host + ":" + namespace + ":" + String(ProcessInfo.processInfo.processIdentifier)
    }()

    func run(at now: LocalMoment, clock: Clock) throws(BatchError) -> DeliveryStatistics {
        var stats = DeliveryStatistics()
        let today = now.day.description
        let tomorrow = now.day.adding(days: 1).description
        let stamp = now.timestamp
        do {
            let recovery = try ledger.recoverInterrupted(timestamp: stamp, worker: Delivery.worker) { (tag) throws(LedgerError) in
                do throws(GatewayError) {
                    return try FileGateway.writtenIDs(since: tag)
                } catch {
                    if configuration.requeueUnconfirmed {
                        log.warning(error.message + "; its messages are sent again as --requeue-unconfirmed asks")
                        return nil
                    }
                    throw LedgerError(
                        .failed,
                        error.message
                            + "; nothing is sent until it can be read, so no record is written twice (restore it, or run with --requeue-unconfirmed to send those messages again)"
                    )
                }
            }
            stats.recovered = recovery.requeued
            stats.foundWritten = recovery.foundWritten
            if recovery.foundWritten > 0 {
                log.warning("\(recovery.foundWritten) messages a stopped run had written to its file were settled as sent (not written again)")
            }
            if recovery.requeued > 0 {
                log.warning("\(recovery.requeued) messages were being sent when a run stopped; sending them again under the same ids")
            }
            stats.expired = try ledger.expire(before: today, timestamp: stamp)
            let window = configuration.sendWindow
            guard window.contains(minuteOfDay: now.minuteOfDay) else {
                stats.waiting = try ledger.waitingCount(on: today)
                let opensToday = now.minuteOfDay < window.start
                stats.windowOpens = (opensToday ? today : tomorrow) + " " + SendWindow.clock(window.start)
                return stats
            }
            var session = try ledger.startDelivery(
                DeliveryPolicy(
                    day: today, deferUntil: tomorrow, dailyQuota: configuration.dailyQuota,
                    perSubscriberCap: configuration.perSubscriberDailyCap, capExempt: configuration.registry.mandatory,
                    worker: Delivery.worker, leaseSeconds: configuration.leaseSeconds, timestamp: stamp))
            var pass = Pass(streak: RejectionStreak(limit: configuration.http.breakerAfter))
            while pass.stop == nil, !Interruption.requested,
                let claimed = try session.claim(limit: configuration.batchSize(remote: configuration.gatewayIsRemote), tag: gateway.claimTag())
            {
                for (rule, n) in claimed.deferred { stats.deferredByRule[rule, default: 0] += n }
                if claimed.recovered > 0 {
                    stats.recovered += claimed.recovered
                    log.warning(
                        "took over \(claimed.recovered) messages whose sender stopped while sending them; sending them again under the same ids")
                }
                guard !claimed.messages.isEmpty else { continue }
                try deliver(claimed.messages, session: &session, pass: &pass, stats: &stats, timestamp: stamp)
                if gateway.looksDown {
                    stats.waiting = try ledger.waitingCount(on: today)
                    throw BatchError(
                        .gatewayUnavailable,
                        "the gateway looks down (every recent transfer failed); stopped early, \(stats.waiting) messages stay queued for the next run"
                    )
                }
            }
            if let stop = pass.stop {
                stats.waiting = try ledger.waitingCount(on: today)
                throw BatchError(.gatewayUnavailable, stop + "; nothing was marked rejected, \(stats.waiting) messages stay queued for the next run")
            }
            if let sig = Interruption.signal {
                stats.waiting = try ledger.waitingCount(on: today)
                throw BatchError(
                    .interrupted(sig),
                    "stopped by \(Interruption.name(sig)) after settling what was in flight: sent \(stats.totalSent), \(stats.waiting) messages stay queued for the next run"
                )
            }
        } catch let error as LedgerError {
            throw BatchError(error)
        } catch let error as BatchError {
            throw error
        } catch {
            throw BatchError(.io, "\(error)")
        }
        return stats
    }

    /// What lasts from one claimed batch to the next within a delivery pass.
    struct Pass {
        var streak: RejectionStreak
        /// Why the gateway is taken as misconfigured, once it is.
        var stop: String?
    }

    /// Hands one claimed batch to the gateway, settling its replies as they come.
    private func deliver(
        _ claimed: [LedgerMessage], session: inout any DeliverySession, pass: inout Pass,
        stats: inout DeliveryStatistics, timestamp: String
    ) throws {
        var reported = [Bool](repeating: false, count: claimed.count)
        var failure: LedgerError?
        do throws(GatewayError) {
            try gateway.deliver(claimed.map(\.message)) { done in
                guard failure == nil else { return false }
                if !done.isEmpty {
                    var settlements: [Settlement] = []
                    for (i, outcome) in done {
                        reported[i] = true
                        settlements += settle(claimed[i], outcome, pass: &pass, stats: &stats)
                    }
                    do throws(LedgerError) {
                        try session.settle(settlements, timestamp: timestamp)
                    } catch {
                        failure = error
                        return false
                    }
                }
                return pass.stop == nil && !Interruption.requested
            }
        } catch {
            // Nothing more could be handed over: what was not reported stays queued.
            let left = claimed.indices.filter { !reported[$0] }
            try session.settle(left.map { Settlement(seq: claimed[$0].seq, result: .retryLater(reason: error.message)) }, timestamp: timestamp)
            if let sig = Interruption.signal {
                throw BatchError(
                    .interrupted(sig),
                    "stopped by \(Interruption.name(sig)) while writing; \(left.count) messages of this batch stay queued for the next run")
            }
            let kind: BatchError.Kind =
                switch error.kind {
                case .unavailable: .gatewayUnavailable
                case .misconfigured: .configuration
                case .writeFailed, .badTarget: .io
                }
            throw BatchError(kind, "\(error.message); nothing was marked sent, \(left.count) messages of this batch stay queued")
        }
        if let failure { throw failure }
        // Claimed but never handed over (a stop came first): back in the queue as if never claimed.
        let untried = claimed.indices.filter { !reported[$0] }.map { Settlement(seq: claimed[$0].seq, result: .untried) }
        if !untried.isEmpty { try session.settle(untried, timestamp: timestamp) }
    }

    /// The settlements one outcome makes now (a rejection may wait in the streak, or end an earlier one).
    private func settle(
        _ claimed: LedgerMessage, _ outcome: DeliveryOutcome, pass: inout Pass,
        stats: inout DeliveryStatistics
    ) -> [Settlement] {
        let m = claimed.message
        var out: [Settlement] = []
        switch outcome {
        case let .rejected(status, _) where pass.stop != nil:
            // The gateway is taken as misconfigured: what was in flight is settled the same way, not rejected.
            stats.failedByRule[m.rule, default: 0] += 1
            out.append(Settlement(seq: claimed.seq, result: .retryLater(reason: "\(statusName(status)) after the gateway looked misconfigured")))
        case let .rejected(status, body):
            // Settled `rejected` at once (a crash must not send it again); put back in the queue if the breaker trips.
            stats.rejectedByRule[m.rule, default: 0] += 1
            out.append(Settlement(seq: claimed.seq, result: .rejected(status: status, reply: body)))
            pass.streak.add(RejectionStreak.Entry(seq: claimed.seq, rule: m.rule, msisdn: m.msisdn, status: status))
            if pass.streak.tripped, pass.stop == nil {
                let numbers = pass.streak.numbers
                let streak = pass.streak.end()
                pass.stop =
                    "the gateway answered \(statusName(status)) for \(numbers) different numbers in a row: it looks misconfigured, not the numbers"
                for e in streak {
                    stats.rejectedByRule[e.rule, default: 0] -= 1
                    stats.failedByRule[e.rule, default: 0] += 1
                    out.append(Settlement(seq: e.seq, result: .requeueRejected(reason: "\(statusName(status)) (the gateway looked misconfigured)")))
                }
            }
            return out
        case let .accepted(gatewayID, segmentIDs):
            pass.streak.reset()
            stats.sent[m.rule, default: 0] += 1
            out.append(Settlement(seq: claimed.seq, result: .sent(gatewayMessageID: gatewayID), segmentIDs: segmentIDs))
        case let .transient(reason, _):
            pass.streak.reset()
            stats.failedByRule[m.rule, default: 0] += 1
            out.append(Settlement(seq: claimed.seq, result: .retryLater(reason: reason)))
        case let .misconfigured(status, body):
            stats.failedByRule[m.rule, default: 0] += 1
            // A CMPP answer says what it means in its body; an HTTP status gets a hint.
            let why = gateway is CMPPGateway ? body : "\(statusName(status)) (\(Delivery.hint(status)))"
            if pass.stop == nil {
                pass.stop = "the gateway answered \(why): it is set up wrong, not the numbers"
            }
            out.append(
                Settlement(seq: claimed.seq, result: .retryLater(reason: gateway is CMPPGateway ? body : "HTTP \(status): \(Delivery.hint(status))")))
        }
        return out
    }

    /// A gateway's answer as people know it: `HTTP 400`, `CMPP Result 13`.
    func statusName(_ status: Int) -> String {
        gateway is CMPPGateway ? "CMPP Result \(status)" : "HTTP \(status)"
    }

    /// What to check for a status that says the gateway is set up wrong.
    static func hint(_ status: Int) -> String {
        switch status {
        case 401: "unauthorized: check the token in SMSBATCH_HTTP_TOKEN"
        case 403: "forbidden: check the token and what its account may do"
        case 404: "not found: check the gateway URL"
        case 405: "method not allowed: check the gateway URL"
        case 407: "proxy authentication required: check the proxy settings"
        default: "check the gateway's settings"
        }
    }
}
