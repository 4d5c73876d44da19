import Foundation
import SMSCore
import SMSLedger

extension NightlyJob {
    /// Records who approved which plan digest; releases that plan's messages to the queue when it is recorded, or
    /// waits for the run that records it (an approval given from the afternoon's preview). Creates the ledger if
    /// needed.
    public func approve(digest: String, by: String, note: String?, now: LocalMoment) throws(BatchError) -> ApprovalOutcome {
        let (lock, ledger) = try openLedger()
        defer { withExtendedLifetime(lock) {} }
        return try ledgerCall { () throws(LedgerError) in
            try ledger.approve(digest: digest, by: by, note: note, day: now.day.description, timestamp: now.timestamp)
        }
    }

    /// Plans waiting for approval, their messages in send order, with the digest recomputed from what the ledger
    /// holds (it must equal the one the run printed).
    public func pendingPlans() throws(BatchError) -> [(plan: PendingPlan, recomputed: String)] {
        try requireKnownLedger()
        if missingLedgerFile != nil { return [] }
        let plans = try ledgerCall { () throws(LedgerError) in
            try LedgerOpener.open(configuration.ledger, forWriting: false, registry: configuration.registry).pendingPlans()
        }
        return plans.map { plan in
            var digest = PlanDigest()
            for m in plan.messages { digest.add(id: m.id, text: m.text) }
            return (plan, digest.hex())
        }
    }

    /// Approvals, newest first, and delivery receipts per rule.
    public func approvalsAndDelivery() throws(BatchError) -> ([Approval], DeliveryReport) {
        try requireKnownLedger()
        if missingLedgerFile != nil { return ([], DeliveryReport()) }
        return try ledgerCall { () throws(LedgerError) in
            let ledger = try LedgerOpener.open(configuration.ledger, forWriting: false, registry: configuration.registry)
            return (try ledger.approvals(), try ledger.deliveryReport())
        }
    }

    /// Delivery receipts per rule, or nothing when the ledger cannot be read (for the metrics file).
    public func deliveryReportIfAny() -> DeliveryReport {
        (try? approvalsAndDelivery().1) ?? DeliveryReport()
    }

    /// Reads a receipts file and applies it: more malformed lines than `--max-bad-rows` apply nothing (exit 65).
    public func receipts(file: String, now: LocalMoment) throws(BatchError) -> (ReceiptOutcome, [ReceiptFile.Problem]) {
        let parsed = try ReceiptFile.read(file)
        if parsed.problems.count > configuration.maxBadRows {
            var message =
                "\(parsed.problems.count) malformed lines in \(file), more than the \(configuration.maxBadRows) tolerated (--max-bad-rows); nothing was applied:\n"
            message += parsed.problems.map { "  \($0)" }.joined(separator: "\n")
            throw BatchError(.badInput, message)
        }
        let (lock, ledger) = try openLedger()
        defer { withExtendedLifetime(lock) {} }
        let outcome = try ledgerCall { () throws(LedgerError) in try ledger.applyReceipts(parsed.receipts, timestamp: now.timestamp) }
        return (outcome, parsed.problems)
    }
}
