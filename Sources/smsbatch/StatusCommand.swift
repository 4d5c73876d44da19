import ArgumentParser
import Foundation
import SMSBatch
import SMSCore
import SMSLedger

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What waits in the ledger, what is held, what failed and why.")

    @Option(help: "text (default) or json (counts per rule and state, for scripts).")
    var format = "text"

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json") }
    }

    func run() throws {
        let job = try common.job()
        let status = try job.status()
        let (approvals, delivery) = try job.approvalsAndDelivery()
        let ledger = LedgerLocation.redacted(job.configuration.ledger)
        if format == "json" {
            print(StatusCommand.json(status, ledger: ledger, approvals: approvals, delivery: delivery))
            return
        }
        print("ledger: \(ledger)")
        print("state       " + RuleKind.allCases.map { $0.rawValue.padding(18) }.joined() + "total")
        for state in MessageState.allCases {
            let row = status.counts[state] ?? [:]
            print(
                state.rawValue.padding(12) + RuleKind.allCases.map { String(row[$0] ?? 0).padding(18) }.joined()
                    + String(status.total(state)))
        }
        let waiting = status.total(.queued) + status.total(.deferred) + status.total(.sending)
        if let oldest = status.oldestWaitingDay, waiting > 0 {
            print("\(waiting) messages wait; the oldest is due since \(oldest). `smsbatch send` delivers them inside the window.")
        } else {
            print("nothing waits.")
        }
        if status.total(.held) > 0 {
            print("\(status.total(.held)) messages are held (a link, a signature or too much text from the data): `smsbatch held` lists them.")
        }
        if status.total(.awaiting) > 0 {
            print("\(status.total(.awaiting)) messages await approval: `smsbatch preview --pending` shows their plans.")
        }
        for a in approvals.prefix(5) {
            let use = a.usedAt.map { "released \(a.messages) messages at \($0)" } ?? "waits for its plan"
            print("approval: plan \(a.digest.prefix(16))… by \(Redaction.forTerminal(a.by)) at \(a.at); \(use)")
        }
        let reported = RuleKind.allCases.map { (delivery.delivered[$0] ?? 0) + (delivery.undelivered[$0] ?? 0) }.reduce(0, +)
        if reported > 0 {
            print("delivery receipts:")
            for rule in RuleKind.allCases {
                let d = delivery.delivered[rule] ?? 0, u = delivery.undelivered[rule] ?? 0
                guard d + u > 0 else { continue }
                print("  \(rule.rawValue.padding(18))delivered \(d), undelivered \(u), rate \(StatusCommand.rate(d, u))")
            }
            if !delivery.topCodes.isEmpty {
                print("  top failure codes: " + delivery.topCodes.map { "\($0.code) \($0.count)" }.joined(separator: ", "))
            }
        }
        if !status.problems.isEmpty {
            print("recent problems:")
            for p in status.problems {
                // A CMPP result says so in its reason; a bare status is an HTTP one.
                let code = p.reason.hasPrefix("CMPP") ? "" : p.status.map { " HTTP \($0)" } ?? ""
                print("  \(Msisdn.mask(p.msisdn))  \(p.rule)  \(p.state)\(code): \(Redaction.forTerminal(p.reason))")
            }
        }
    }

    /// `{"ledger", "counts": {state: {rule: n}}, "totals": {state: n}, "waiting", "held", "oldest_waiting_day",
    /// "items", "problems": [{"msisdn" (masked), "rule", "state", "status", "reason" (numbers masked)}],
    /// "approvals": [{"digest", "by", "at", "note", "messages", "released_at"}],
    /// "delivery": {rule: {"delivered", "undelivered", "rate"}}, "delivered", "undelivered", "delivery_rate",
    /// "top_failure_codes": [{"code", "count"}]}`.
    /// Delivered out of all receipts, as a percentage with one decimal.
    static func rate(_ delivered: Int, _ undelivered: Int) -> String {
        let total = delivered + undelivered
        guard total > 0 else { return "n/a" }
        return String(format: "%.1f%%", 100 * Double(delivered) / Double(total))
    }

    /// Delivered out of all receipts (0…1), or null when there are none.
    static func fraction(_ delivered: Int, _ undelivered: Int) -> Any {
        delivered + undelivered > 0 ? Double(delivered) / Double(delivered + undelivered) : NSNull()
    }

    static func json(_ status: LedgerStatus, ledger: String, approvals: [Approval], delivery: DeliveryReport) -> String {
        var counts: [String: [String: Int]] = [:]
        var totals: [String: Int] = [:]
        for state in MessageState.allCases {
            let row = status.counts[state] ?? [:]
            counts[state.rawValue] = Dictionary(uniqueKeysWithValues: RuleKind.allCases.map { ($0.rawValue, row[$0] ?? 0) })
            totals[state.rawValue] = status.total(state)
        }
        let problems: [[String: Any]] = status.problems.map { p in
            var o: [String: Any] = [
                "msisdn": Msisdn.mask(p.msisdn), "rule": p.rule, "state": p.state,
                "reason": Redaction.maskNumbers(in: p.reason),
            ]
            o["status"] = p.status ?? NSNull()
            return o
        }
        let object: [String: Any] = [
            "ledger": ledger, "counts": counts, "totals": totals,
            "waiting": status.total(.queued) + status.total(.deferred) + status.total(.sending),
            "held": status.total(.held), "oldest_waiting_day": status.oldestWaitingDay ?? NSNull(),
            "items": status.items, "problems": problems,
            "approvals": approvals.map { a -> [String: Any] in
                [
                    "digest": a.digest, "by": a.by, "at": a.at, "note": a.note ?? NSNull(), "messages": a.messages,
                    "released_at": a.usedAt ?? NSNull(),
                ]
            },
            "delivery": Dictionary(
                uniqueKeysWithValues: RuleKind.allCases.map { rule -> (String, [String: Any]) in
                    let d = delivery.delivered[rule] ?? 0, u = delivery.undelivered[rule] ?? 0
                    return (
                        rule.rawValue,
                        [
                            "delivered": d, "undelivered": u,
                            "rate": StatusCommand.fraction(d, u),
                        ]
                    )
                }),
            "delivered": delivery.delivered.values.reduce(0, +),
            "undelivered": delivery.undelivered.values.reduce(0, +),
            "delivery_rate": StatusCommand.fraction(delivery.delivered.values.reduce(0, +), delivery.undelivered.values.reduce(0, +)),
            "top_failure_codes": delivery.topCodes.map { ["code": $0.code, "count": $0.count] as [String: Any] },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
