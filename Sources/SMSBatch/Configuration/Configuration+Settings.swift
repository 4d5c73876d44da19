import SMSCore
import SMSLedger

extension Configuration {
    /// Every setting as its config-file key and a JSON value, in the order of ``ConfigurationFile/keys``.
    public var settings: [(key: String, value: String)] {
        func list(_ v: [Int]) -> String { "[" + v.map(String.init).joined(separator: ", ") + "]" }
        func ruleList(_ v: Set<RuleKind>) -> String { "[" + v.sorted().map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]" }
        func text(_ v: String?) -> String { v.map { JSONText.string($0) } ?? "null" }
        func number(_ v: Double?) -> String {
            guard let v else { return "null" }
            return v == v.rounded() ? String(Int(v)) : String(v)
        }
        let values: [String: String] = [
            "time_zone": text(timeZone), "signature": text(signature),
            "trial_stages": list(rules.trialStages), "points_stages": list(rules.pointsStages),
            "summary_grace_days": String(rules.summaryGraceDays), "min_expiring_points": String(rules.minExpiringPoints),
            "summary_max_named": String(rules.summaryMaxNamed), "dnd_rules": ruleList(rules.dndRules),
            "rules": ruleList(rules.enabledRules), "hotline": text(rules.hotline),
            "points_redeem_hint": text(rules.pointsRedeemHint),
            "star_privileges": "{" + rules.starPrivileges.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \(text($0.value))" }.joined(separator: ", ") + "}",
            "summary_passive_services": "[" + rules.summaryPassiveServices.sorted().map { text($0) }.joined(separator: ", ") + "]",
            "template_dir": text(templateDirectory ?? TemplateLoader.defaultDirectory()),
            "encoding": text(snapshot.encoding.rawValue),
            "delimiter": text(String(UnicodeScalar(snapshot.delimiter))),
            "max_bad_rows": String(maxBadRows), "reject_dir": text(rejectDirectory ?? "(the ledger's folder)"),
            "ledger": text(LedgerLocation.redacted(ledger)), "gateway": text(Redaction.gateway(gateway)), "send_window": text(sendWindow.description.replacingOccurrences(of: "–", with: "-")),
            "daily_quota": dailyQuota.map(String.init) ?? "null",
            "per_subscriber_daily_cap": perSubscriberDailyCap.map(String.init) ?? "null",
            "require_approval": requireApproval ? "true" : "false",
            "batch_size": String(batchSize(remote: gatewayIsRemote)), "lease_seconds": String(leaseSeconds), "http_concurrency": String(http.concurrency), "http_rate": number(http.rate),
            "http_connect_timeout": number(http.connectTimeout), "http_timeout": number(http.timeout),
            "http_attempts": String(http.attempts), "http_backoff": number(http.backoff),
            "http_backoff_max": number(http.backoffMax), "http_ca_file": text(http.caFile),
            "http_down_after": String(http.downAfter), "http_breaker_after": String(http.breakerAfter),
            "http_stop_grace": number(http.stopGrace), "price_per_segment": number(pricePerSegmentFen / 100),
            "segment_budget": String(segmentBudget),
        ]
        return ConfigurationFile.keys.map { ($0, values[$0] ?? "?") }
    }
}
