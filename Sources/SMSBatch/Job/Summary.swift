import SMSCore

/// The one-line summaries printed at the end of every run.
enum Summary {
    static func byRule(_ counts: [RuleKind: Int]) -> String {
        let parts = RuleKind.allCases.compactMap { rule in counts[rule].map { "\(rule.rawValue) \($0)" } }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    static func planLine(_ plan: DayPlan) -> String {
        let s = plan.statistics
        var line = "\(plan.asOf): planned \(s.totalPlanned)\(byRule(s.planned))"
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
        return line
    }
}
