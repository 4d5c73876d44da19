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
        let ledger = LedgerLocation.redacted(job.configuration.ledger)
        if format == "json" {
            print(StatusCommand.json(status, ledger: ledger))
            return
        }
        print("ledger: \(ledger)")
        print("state       " + RuleKind.allCases.map { $0.rawValue.padding(18) }.joined() + "total")
        for state in MessageState.allCases {
            let row = status.counts[state] ?? [:]
            print(state.rawValue.padding(12) + RuleKind.allCases.map { String(row[$0] ?? 0).padding(18) }.joined()
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
        if !status.problems.isEmpty {
            print("recent problems:")
            for p in status.problems {
                let code = p.status.map { " HTTP \($0)" } ?? ""
                print("  \(Msisdn.mask(p.msisdn))  \(p.rule)  \(p.state)\(code): \(Redaction.maskNumbers(in: p.reason))")
            }
        }
    }

    /// `{"ledger", "counts": {state: {rule: n}}, "totals": {state: n}, "waiting", "held", "oldest_waiting_day",
    /// "items", "problems": [{"msisdn" (masked), "rule", "state", "status", "reason" (numbers masked)}]}`.
    static func json(_ status: LedgerStatus, ledger: String) -> String {
        var counts: [String: [String: Int]] = [:]
        var totals: [String: Int] = [:]
        for state in MessageState.allCases {
            let row = status.counts[state] ?? [:]
            counts[state.rawValue] = Dictionary(uniqueKeysWithValues: RuleKind.allCases.map { ($0.rawValue, row[$0] ?? 0) })
            totals[state.rawValue] = status.total(state)
        }
        let problems: [[String: Any]] = status.problems.map { p in
            var o: [String: Any] = ["msisdn": Msisdn.mask(p.msisdn), "rule": p.rule, "state": p.state,
                                    "reason": Redaction.maskNumbers(in: p.reason)]
            o["status"] = p.status ?? NSNull()
            return o
        }
        let object: [String: Any] = [
            "ledger": ledger, "counts": counts, "totals": totals,
            "waiting": status.total(.queued) + status.total(.deferred) + status.total(.sending),
            "held": status.total(.held), "oldest_waiting_day": status.oldestWaitingDay ?? NSNull(),
            "items": status.items, "problems": problems,
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
