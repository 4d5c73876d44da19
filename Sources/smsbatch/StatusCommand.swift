import ArgumentParser
import SMSBatch
import SMSCore
import SMSLedger

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What waits in the ledger, what failed and why.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        let status = try common.job().status()
        print("ledger: \(try common.resolve().ledger)")
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
        if !status.problems.isEmpty {
            print("recent problems:")
            for p in status.problems {
                let code = p.status.map { " HTTP \($0)" } ?? ""
                print("  \(Msisdn.mask(p.msisdn))  \(p.rule)  \(p.state)\(code): \(p.reason)")
            }
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
