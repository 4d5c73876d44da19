import SMSCore
import SMSLedger

/// The page of `smsbatch preview --pending`: each plan that waits for approval, its digest and its messages
/// (numbers masked, text escaped), self-contained.
public enum PendingPage {
    public static func write(_ plans: [(plan: PendingPlan, recomputed: String)], to path: String) throws(BatchError) {
        var h = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>smsbatch: plans awaiting approval</title>"
        h += "<style>body{font-family:sans-serif;margin:2em;max-width:70em}td{padding:.2em .6em;vertical-align:top}"
        h += ".digest{font-family:monospace}</style></head><body><h1>Plans awaiting approval</h1>"
        if plans.isEmpty { h += "<p>Nothing waits for approval in the ledger.</p>" }
        for (plan, digest) in plans {
            h += "<section><h2>Plan <span class=\"digest\" data-plan=\"\(digest)\">\(digest)</span></h2>"
            h += "<p>Planned for \(HTML.escape(plan.planDay)): \(plan.messages.count) messages. Approve with "
            h += "<code>smsbatch approve --plan \(digest) --by NAME</code>.</p><table><tr><th>number</th><th>rule</th><th>text</th></tr>"
            for m in plan.messages {
                h += "<tr><td>\(Msisdn.mask(m.msisdn))</td><td>\(m.rule.rawValue)</td><td>\(HTML.escape(m.text))</td></tr>"
            }
            h += "</table></section>"
        }
        h += "<footer>smsbatch · numbers are masked</footer></body></html>\n"
        try ReportFile.write(h, to: path, what: "the pending-plans page")
    }
}
