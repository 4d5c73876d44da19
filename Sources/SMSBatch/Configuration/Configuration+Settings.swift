import Foundation
import SMSCore
import SMSGateway
import SMSLedger
import SMSSnapshot

extension Configuration {
    /// Every configuration key, declared once: the file's parsing, `smsbatch config` and the README's table all
    /// come from this list. The rules' own keys come from their folders (``RuleRegistry/settings``).
    public static func declarations(_ registry: RuleRegistry = .standard) -> [Setting<Configuration>] {
        var list: [Setting<Configuration>] = []
        list.append(Setting("time_zone", timeZone, at: \.timeZone, doc: "The zone of calendar days and the send window."))
        list.append(Setting("signature", .text, at: \.signature, doc: "Put in 【】 before every text; empty for none."))
        list += RuleConfiguration.commonSettings(registry).map { $0.nested(at: \.rules) }
        list += registry.settings.map { $0.nested(at: \.rules) }
        list.append(
            Setting(
                "template_dir", expected: "a path", doc: "The templates' folder. Default: `templates` here, else the one shipped.",
                apply: { (input, context, c) throws(SettingProblem) in c.templateDirectory = try SettingKind.path.read(input, context) },
                show: { JSONText.string($0.templateDirectory ?? TemplateLoader.defaultDirectory()) }))
        list.append(
            Setting("encoding", encoding, at: \.snapshot.encoding, doc: "The snapshot files' encoding: `utf-8` or `gb18030`."))
        list.append(
            Setting("delimiter", delimiter, at: \.snapshot.delimiter, doc: "The snapshot files' delimiter: one ASCII character, or `tab`, `pipe`."))
        list.append(
            Setting("max_bad_rows", .wholeNumber(min: 0), at: \.maxBadRows, doc: "Bad rows tolerated before a run stops (exit 65)."))
        list.append(
            Setting(
                "reject_dir", expected: "a path",
                doc: "Where reject files go (owner-only; formula-like fields escaped with a leading `'`). Default: the ledger's folder.",
                apply: { (input, context, c) throws(SettingProblem) in c.rejectDirectory = try SettingKind.path.read(input, context) },
                show: { JSONText.string($0.rejectDirectory ?? "(the ledger's folder)") }))
        list.append(
            Setting(
                "ledger", expected: "a SQLite file or a postgres:// URL",
                doc:
                    "The ledger file (created owner-only), or `postgres://user@host:port/db` for a shared ledger; `SMSBATCH_LEDGER_URL` overrides it.",
                apply: { (input, context, c) throws(SettingProblem) in
                    let v = try SettingKind.text.read(input, context)
                    c.ledger = v.contains("://") ? v : context.resolve(v)
                }, show: { JSONText.string(LedgerLocation.redacted($0.ledger)) }))
        list.append(
            Setting(
                "gateway", expected: "stdout, file:PATH or a URL", doc: "`stdout`, `file:PATH` or an `http(s)://` URL.",
                apply: { (input, context, c) throws(SettingProblem) in
                    let v = try SettingKind.text.read(input, context)
                    c.gateway = v.hasPrefix("file:") ? "file:" + context.resolve(String(v.dropFirst(5))) : v
                }, show: { JSONText.string(Redaction.gateway($0.gateway)) }))
        list.append(
            Setting("send_window", window, at: \.sendWindow, doc: "Local times between which real sends happen, `HH:MM-HH:MM`."))
        list.append(
            Setting(
                "daily_quota", SettingKind.wholeNumber(min: 1).orNull, at: \.dailyQuota,
                doc: "Messages the gateway takes per local day; the rest wait as `deferred`; null for no cap."))
        list.append(
            Setting(
                "per_subscriber_daily_cap", SettingKind.wholeNumber(min: 1).orNull, at: \.perSubscriberDailyCap,
                doc: "Messages one subscriber gets per local day, mandatory notices not counted; null for no cap."))
        list.append(
            Setting(
                "require_approval", .bool, at: \.requireApproval,
                doc: "A run records its plan and sends none of it until its digest is approved (`smsbatch approve`)."))
        list.append(
            Setting(
                "batch_size", expected: "a whole number ≥ 1",
                doc:
                    "Messages per gateway call and ledger transaction. Default: 500 over HTTP, 4000 to a file or stdout (fewer, cheaper ledger transactions).",
                apply: { (input, context, c) throws(SettingProblem) in c.batchSize = try SettingKind.wholeNumber(min: 1).read(input, context) },
                show: { String($0.batchSize(remote: $0.gatewayIsRemote)) }))
        list.append(
            Setting(
                "lease_seconds", .wholeNumber(min: 1), at: \.leaseSeconds,
                doc: "Shared ledger: how long a sender's claim lasts before another sender may take it over."))
        list.append(
            Setting(
                "http_concurrency", .wholeNumber(min: 1, max: HTTPOptions.maxConcurrency), at: \.http.concurrency,
                doc: "HTTP transfers in flight (`--concurrency`)."))
        list.append(
            Setting(
                "http_rate",
                SettingKind.positive(unit: " messages a second").checked {
                    $0 < 0.01 ? "must be at least 0.01 messages a second, or null for no limit" : nil
                }.orNull,
                at: \.http.rate, doc: "Messages a second at most; null for no limit."))
        list.append(
            Setting("http_connect_timeout", .positive(unit: " seconds"), at: \.http.connectTimeout, doc: "Seconds to connect."))
        list.append(
            Setting("http_timeout", .positive(unit: " seconds"), at: \.http.timeout, doc: "Seconds for a whole request."))
        list.append(
            Setting("http_attempts", .wholeNumber(min: 1), at: \.http.attempts, doc: "Tries per message in one run."))
        list.append(
            Setting(
                "http_backoff", .positive(unit: " seconds"), at: \.http.backoff,
                doc: "First back-off in seconds, doubled each try; a longer `Retry-After` waits for the next run."))
        list.append(
            Setting("http_backoff_max", .positive(unit: " seconds"), at: \.http.backoffMax, doc: "Longest wait between tries."))
        list.append(
            Setting("http_ca_file", SettingKind.path.orNull, at: \.http.caFile, doc: "CA bundle for TLS verification; null for the system's."))
        list.append(
            Setting(
                "http_down_after", .wholeNumber(min: 1), at: \.http.downAfter,
                doc: "Transient failures in a row after which the gateway counts as down (exit 69)."))
        list.append(
            Setting(
                "http_breaker_after", .wholeNumber(min: 1), at: \.http.breakerAfter,
                doc: "Different numbers answered the same 4xx in a row after which the gateway counts as misconfigured (exit 69, nothing rejected)."))
        list.append(
            Setting(
                "http_stop_grace", .positive(max: 60, unit: " seconds (a stop settles within a few seconds)"), at: \.http.stopGrace,
                doc: "Seconds a stop (SIGTERM, SIGINT, a misconfigured gateway) waits for transfers in flight before cutting them short."))
        list.append(
            Setting(
                "price_per_segment", expected: "a number > 0", doc: "Yuan per SMS segment, for the preview's cost estimate.",
                apply: { (input, context, c) throws(SettingProblem) in c.pricePerSegmentFen = try SettingKind.positive().read(input, context) * 100 },
                show: { JSONNumber.text($0.pricePerSegmentFen / 100) }))
        list.append(
            Setting("segment_budget", .wholeNumber(min: 1), at: \.segmentBudget, doc: "Segments a template may take at worst before `lint` warns."))
        return list
    }

    /// Every setting as its key and a JSON value, in declaration order.
    public var settings: [(key: String, value: String)] {
        Configuration.declarations(registry).map { ($0.key, $0.value(in: self)) }
    }

    /// The README's table of settings: key, default, meaning.
    public static func settingsTable(_ registry: RuleRegistry = .standard) -> String {
        let defaults = Configuration()
        var lines = ["| key | default | meaning |", "|---|---|---|"]
        for d in declarations(registry) {
            var value = d.value(in: defaults)
            // A default that is no value (a folder found at run time) reads as words.
            if d.key == "template_dir" {
                value = "`templates`"
            } else if value.hasPrefix("\"(") {
                value = String(value.dropFirst(2).dropLast(2))
            } else {
                value = "`" + value + "`"
            }
            lines.append("| `\(d.key)` | \(value.replacingOccurrences(of: "|", with: "\\|")) | \(d.doc.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        return lines.joined(separator: "\n")
    }

    static let timeZone = SettingKind<String>(
        expected: "a time zone such as Asia/Shanghai",
        read: { input, _ in
            input.text.flatMap { TimeZone(identifier: $0) != nil ? $0 : nil }
        }, write: JSONText.string)

    static let encoding = SettingKind<TextEncoding>(
        expected: "utf-8 or gb18030", read: { input, _ in input.text.flatMap(TextEncoding.init(name:)) },
        write: { JSONText.string($0.rawValue) })

    static let delimiter = SettingKind<UInt8>(
        expected: "one ASCII character such as , or |", read: { input, _ in input.text.flatMap(Configuration.delimiter) },
        write: { JSONText.string(String(UnicodeScalar($0))) })

    static let window = SettingKind<SendWindow>(
        expected: "HH:MM-HH:MM with the start first", read: { input, _ in input.text.flatMap(SendWindow.init) },
        write: { JSONText.string($0.description.replacingOccurrences(of: "–", with: "-")) })
}
