import Logging
import SMSCore

/// The one-line summaries printed at the end of every run.
enum Summary {
    static func byRule(_ counts: [RuleKind: Int]) -> String {
        // In send order, whichever registry planned them.
        let parts = counts.keys.sorted().map { "\($0.rawValue) \(counts[$0]!)" }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    static func planLine(_ plan: DayPlan) -> String {
        let s = plan.statistics
        var line = "\(plan.asOf): planned \(s.totalPlanned)\(byRule(s.planned))"
        if plan.held > 0 { line += ", held \(plan.held)" }
        var skipped: [String] = []
        for reason in SuppressionReason.allCases.sorted() {
            let n = s.suppressedTotal(reason)
            if n > 0 { skipped.append("\(reason.rawValue) \(n)") }
        }
        if !skipped.isEmpty { line += ", not planned: " + skipped.joined(separator: ", ") }
        line += "; bad rows \(plan.report.badRows.count), orphans \(plan.report.orphanTotal)"
        return line
    }

    static func deliveryLine(_ d: DeliveryStatistics) -> String {
        var line = "sent \(d.totalSent)\(byRule(d.sent)), queued \(d.waiting + d.retryLater), deferred \(d.deferred), rejected \(d.rejected)"
        if d.expired > 0 { line += ", expired \(d.expired)" }
        if d.recovered > 0 { line += ", recovered \(d.recovered)" }
        if d.foundWritten > 0 { line += ", found written \(d.foundWritten)" }
        return line
    }
}

extension Summary {
    /// The same counts as metadata, for JSON log consumers.
    static func metadata(_ plan: DayPlan?, _ d: DeliveryStatistics?) -> Logger.Metadata {
        var m: Logger.Metadata = [:]
        func rules(_ counts: [RuleKind: Int]) -> Logger.Metadata.Value {
            .dictionary(
                Dictionary(uniqueKeysWithValues: Set(RuleKind.allCases).union(counts.keys).map { ($0.rawValue, .string(String(counts[$0] ?? 0))) }))
        }
        if let plan {
            m["as_of"] = .string(plan.asOf.description)
            m["planned"] = rules(plan.statistics.planned)
            m["bad_rows"] = .string(String(plan.report.badRows.count))
            m["orphans"] = .string(String(plan.report.orphanTotal))
        }
        if let d {
            m["sent"] = rules(d.sent)
            m["deferred"] = rules(d.deferredByRule)
            m["rejected"] = rules(d.rejectedByRule)
            m["failed"] = rules(d.failedByRule)
            m["waiting"] = .string(String(d.waiting))
        }
        return m
    }
}
