import Foundation
import SMSCore
import SMSLedger

/// What one command did, for the Prometheus node_exporter textfile collector.
public struct RunMetrics: Sendable {
    public var command: String
    public var planned: [RuleKind: Int] = [:]
    public var segments = 0
    public var badRows = 0
    public var orphans = 0
    /// Subscribers and points at stake per points stage, in the plans added.
    public var pointsAtStake: [Int: PointsAtStake] = [:]
    public var delivery = DeliveryStatistics()
    /// Messages per state and rule in the ledger after the run, when it could be read.
    public var ledger: [MessageState: [RuleKind: Int]] = [:]
    /// Delivery receipts in the ledger after the run, per rule.
    public var receipts = DeliveryReport()
    public var started = Date()
    public var duration = 0.0
    public var exitCode: Int32 = 0

    public init(command: String) { self.command = command }

    /// Adds a planned day.
    public mutating func add(_ plan: DayPlan) {
        for (rule, n) in plan.statistics.planned { planned[rule, default: 0] += n }
        segments += plan.segments
        badRows += plan.report.badRows.count
        orphans += plan.report.orphanTotal
        for (stage, stake) in plan.pointsAtStake {
            pointsAtStake[stage, default: PointsAtStake()].subscribers += stake.subscribers
            pointsAtStake[stage, default: PointsAtStake()].points += stake.points
        }
    }

    /// Adds a delivery pass.
    public mutating func add(_ d: DeliveryStatistics) {
        for (rule, n) in d.sent { delivery.sent[rule, default: 0] += n }
        for (rule, n) in d.rejectedByRule { delivery.rejectedByRule[rule, default: 0] += n }
        for (rule, n) in d.failedByRule { delivery.failedByRule[rule, default: 0] += n }
        for (rule, n) in d.deferredByRule { delivery.deferredByRule[rule, default: 0] += n }
        delivery.waiting = d.waiting
        delivery.expired += d.expired
        delivery.recovered += d.recovered
    }

    /// The text exposition format, version 0.0.4.
    public func exposition(lastSuccess: Double?) -> String {
        var out = ""
        func family(_ name: String, _ help: String, _ type: String = "gauge") {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        // Every product rule (zeros included), and any other rule a registry of more rules counted.
        func rules(_ counts: [RuleKind: Int]...) -> [RuleKind] { Set(RuleKind.allCases).union(counts.flatMap(\.keys)).sorted() }
        func byRule(_ name: String, _ help: String, _ values: [RuleKind: Int]) {
            family(name, help)
            for rule in rules(values) {
                out += "\(name){command=\"\(command)\",rule=\"\(rule.rawValue)\"} \(values[rule] ?? 0)\n"
            }
        }
        byRule("smsbatch_messages_planned", "Messages planned by the last run.", planned)
        byRule("smsbatch_messages_sent", "Messages the gateway accepted in the last run.", delivery.sent)
        byRule("smsbatch_messages_deferred", "Messages a quota held back in the last run.", delivery.deferredByRule)
        byRule("smsbatch_messages_rejected", "Messages the gateway refused for good in the last run.", delivery.rejectedByRule)
        family("smsbatch_messages_delivered", "Messages the handset received, by delivery receipt, in the ledger.")
        for rule in rules(receipts.delivered) { out += "smsbatch_messages_delivered{rule=\"\(rule.rawValue)\"} \(receipts.delivered[rule] ?? 0)\n" }
        family("smsbatch_messages_undelivered", "Messages a delivery receipt says did not reach the handset, in the ledger.")
        for rule in rules(receipts.undelivered) {
            out += "smsbatch_messages_undelivered{rule=\"\(rule.rawValue)\"} \(receipts.undelivered[rule] ?? 0)\n"
        }
        family("smsbatch_points_subscribers_at_stake", "Subscribers warned of points clearing, per stage (待清零客户数).")
        for stage in pointsAtStake.keys.sorted() {
            out += "smsbatch_points_subscribers_at_stake{command=\"\(command)\",stage=\"\(stage)\"} \(pointsAtStake[stage]!.subscribers)\n"
        }
        family("smsbatch_points_at_stake", "Points those warnings say will be cleared, per stage (待清零积分数).")
        for stage in pointsAtStake.keys.sorted() {
            out += "smsbatch_points_at_stake{command=\"\(command)\",stage=\"\(stage)\"} \(pointsAtStake[stage]!.points)\n"
        }
        byRule("smsbatch_messages_failed", "Messages that failed transiently in the last run and stay queued.", delivery.failedByRule)
        byRule(
            "smsbatch_messages_queued", "Messages waiting in the ledger (queued or deferred) after the last run.",
            (ledger[.queued] ?? [:]).merging(ledger[.deferred] ?? [:], uniquingKeysWith: +).merging(ledger[.sending] ?? [:], uniquingKeysWith: +))
        family("smsbatch_ledger_messages", "Messages in the ledger by state after the last run.")
        for state in MessageState.allCases {
            for rule in rules(ledger[state] ?? [:]) {
                out += "smsbatch_ledger_messages{state=\"\(state.rawValue)\",rule=\"\(rule.rawValue)\"} \(ledger[state]?[rule] ?? 0)\n"
            }
        }
        family("smsbatch_segments_planned", "SMS segments of the messages planned by the last run.")
        out += "smsbatch_segments_planned{command=\"\(command)\"} \(segments)\n"
        family("smsbatch_bad_rows", "Bad input rows skipped or refused by the last run.")
        out += "smsbatch_bad_rows{command=\"\(command)\"} \(badRows)\n"
        family("smsbatch_orphan_rows", "Rows whose number is not a subscriber, in the last run.")
        out += "smsbatch_orphan_rows{command=\"\(command)\"} \(orphans)\n"
        family("smsbatch_run_duration_seconds", "Wall time of the last run.")
        out += "smsbatch_run_duration_seconds{command=\"\(command)\"} \(String(format: "%.3f", duration))\n"
        family("smsbatch_last_run_timestamp_seconds", "When the last run started (Unix time).")
        out += "smsbatch_last_run_timestamp_seconds{command=\"\(command)\"} \(Int(started.timeIntervalSince1970))\n"
        family("smsbatch_exit_code", "Exit status of the last run (0 = success).")
        out += "smsbatch_exit_code{command=\"\(command)\"} \(exitCode)\n"
        if let lastSuccess {
            family("smsbatch_last_success_timestamp_seconds", "When a run last finished with exit 0 (Unix time).")
            out += "smsbatch_last_success_timestamp_seconds{command=\"\(command)\"} \(Int(lastSuccess))\n"
        }
        return out
    }

    /// Writes the file atomically (a temporary file in the same folder, then a rename). A failed run keeps the
    /// last success time that the file already held.
    public func write(to path: String) throws(BatchError) {
        var lastSuccess: Double? = exitCode == 0 ? started.timeIntervalSince1970 + duration : nil
        if lastSuccess == nil, ReportFile.isRegular(path), let old = try? String(contentsOfFile: path, encoding: .utf8) {
            lastSuccess = old.split(separator: "\n")
                .first { $0.hasPrefix("smsbatch_last_success_timestamp_seconds{") }
                .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        }
        try ReportFile.write(exposition(lastSuccess: lastSuccess), to: path, what: "the metrics file", readable: true)
    }
}
