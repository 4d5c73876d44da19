import Foundation
import SMSGateway
import SMSCore
import SMSSnapshot

/// Reads a JSON configuration file into a ``Configuration``.
///
/// Keys (all optional): `time_zone`, `signature`, `trial_stages`, `points_stages`, `summary_grace_days`,
/// `min_expiring_points`, `summary_max_named`, `dnd_rules`, `rules`, `hotline`, `template_dir`, `encoding`,
/// `delimiter`, `max_bad_rows`, `reject_dir`, `ledger`, `gateway`, `send_window`, `daily_quota`,
/// `per_subscriber_daily_cap`, `batch_size`, `lease_seconds`, `http_concurrency`, `http_rate`, `http_connect_timeout`, `http_timeout`,
/// `http_attempts`, `http_backoff`, `http_backoff_max`, `http_ca_file`, `http_down_after`, `price_per_segment` (yuan),
/// `segment_budget`.
/// Paths are relative to the file's folder.
public enum ConfigurationFile {
    public static let keys = [
        "time_zone", "signature", "trial_stages", "points_stages", "summary_grace_days", "min_expiring_points",
        "summary_max_named", "dnd_rules", "rules", "hotline", "points_redeem_hint", "star_privileges", "summary_passive_services", "template_dir", "encoding", "delimiter",
        "max_bad_rows", "reject_dir", "ledger", "gateway", "send_window", "daily_quota",
        "per_subscriber_daily_cap", "require_approval", "batch_size", "lease_seconds", "http_concurrency", "http_rate", "http_connect_timeout",
        "http_timeout", "http_attempts", "http_backoff", "http_backoff_max", "http_ca_file", "http_down_after",
        "http_breaker_after", "http_stop_grace",
        "price_per_segment", "segment_budget",
    ]

    /// Applies the file at `path` on top of `base`.
    public static func load(_ path: String, onto base: Configuration = Configuration()) throws(ConfigurationError) -> Configuration {
        try loadWithKeys(path, onto: base).configuration
    }

    /// Applies the file at `path` on top of `base`, and says which keys it set.
    public static func loadWithKeys(_ path: String, onto base: Configuration = Configuration()) throws(ConfigurationError) -> (configuration: Configuration, keys: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(file: path, key: nil, message: "cannot be read (missing or not permitted)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ConfigurationError(file: path, key: nil, message: "is not valid JSON (\(error.localizedDescription))")
        }
        guard let dict = object as? [String: Any] else {
            throw ConfigurationError(file: path, key: nil, message: "must hold one JSON object of settings")
        }
        let folder = (path as NSString).deletingLastPathComponent
        return (try apply(dict, onto: base, file: path, folder: folder), Array(dict.keys))
    }

    static func apply(_ dict: [String: Any], onto base: Configuration, file: String, folder: String) throws(ConfigurationError) -> Configuration {
        var c = base
        let r = Reader(dict: dict, file: file, folder: folder)
        for key in dict.keys.sorted() where !keys.contains(key) {
            let hint = closest(to: key).map { "; did you mean '\($0)'?" } ?? ""
            throw ConfigurationError(file: file, key: key, message: "is not a setting\(hint)")
        }
        if let v = try r.string("time_zone") {
            guard TimeZone(identifier: v) != nil else { throw r.error("time_zone", "names no known time zone") }
            c.timeZone = v
        }
        if let v = try r.string("signature") { c.signature = v }
        if let v = try r.stages("trial_stages") { c.rules.trialStages = v }
        if let v = try r.stages("points_stages") { c.rules.pointsStages = v }
        if let v = try r.int("summary_grace_days", min: 0) { c.rules.summaryGraceDays = v }
        if let v = try r.int("min_expiring_points", min: 1) { c.rules.minExpiringPoints = v }
        if let v = try r.int("summary_max_named", min: 1) {
            guard v <= 5 else { throw r.error("summary_max_named", "must be from 1 to 5 (SPEC §3.2 names at most 5)") }
            c.rules.summaryMaxNamed = v
        }
        if let v = try r.ruleSet("dnd_rules") { c.rules.dndRules = v }
        if let v = try r.ruleSet("rules") { c.rules.enabledRules = v }
        if let v = try r.string("hotline") { c.rules.hotline = v }
        if let v = try r.string("points_redeem_hint") {
            guard TextPolicy.problem(in: v) == nil, !v.isEmpty else {
                throw r.error("points_redeem_hint", "must be a short text with no link and no 【】")
            }
            c.rules.pointsRedeemHint = v
        }
        if let v = dict["star_privileges"] {
            guard let object = v as? [String: Any] else { throw r.error("star_privileges", "must map star levels (\"1\"–\"5\") to a privilege's text") }
            var privileges: [Int: String] = [:]
            for (level, text) in object {
                guard let stars = Int(level), (0...5).contains(stars), let text = text as? String, !text.isEmpty,
                      TextPolicy.problem(in: text) == nil else {
                    throw r.error("star_privileges", "must map star levels (\"1\"–\"5\") to a privilege's text, with no link and no 【】")
                }
                privileges[stars] = text
            }
            c.rules.starPrivileges = privileges
        }
        if let v = dict["summary_passive_services"] {
            guard let names = v as? [String] else { throw r.error("summary_passive_services", "must be a list of service codes or names") }
            c.rules.summaryPassiveServices = Set(names)
        }
        if let v = try r.path("template_dir") { c.templateDirectory = v }
        if let v = try r.string("encoding") {
            guard let e = TextEncoding(name: v) else { throw r.error("encoding", "must be utf-8 or gb18030") }
            c.snapshot.encoding = e
        }
        if let v = try r.string("delimiter") {
            guard let d = Configuration.delimiter(v) else { throw r.error("delimiter", "must be one ASCII character such as , or |") }
            c.snapshot.delimiter = d
        }
        if let v = try r.int("max_bad_rows", min: 0) { c.maxBadRows = v }
        if let v = try r.path("reject_dir") { c.rejectDirectory = v }
        if let v = try r.string("ledger") { c.ledger = v.contains("://") ? v : r.resolve(v) }
        if let v = try r.string("gateway") {
            c.gateway = v.hasPrefix("file:") ? "file:" + r.resolve(String(v.dropFirst(5))) : v
        }
        if let v = try r.string("send_window") {
            guard let w = SendWindow(v) else { throw r.error("send_window", "must read HH:MM-HH:MM with the start first") }
            c.sendWindow = w
        }
        if dict["daily_quota"] != nil { c.dailyQuota = try r.int("daily_quota", min: 1, nullable: true) }
        if dict["per_subscriber_daily_cap"] != nil { c.perSubscriberDailyCap = try r.int("per_subscriber_daily_cap", min: 1, nullable: true) }
        if let v = try r.bool("require_approval") { c.requireApproval = v }
        if let v = try r.int("batch_size", min: 1) { c.batchSize = v }
        if let v = try r.int("lease_seconds", min: 1) { c.leaseSeconds = v }
        if let v = try r.int("http_concurrency", min: 1) {
            guard v <= HTTPOptions.maxConcurrency else { throw r.error("http_concurrency", "must be at most \(HTTPOptions.maxConcurrency)") }
            c.http.concurrency = v
        }
        if let v = try r.int("http_breaker_after", min: 1) { c.http.breakerAfter = v }
        if let v = try r.seconds("http_stop_grace") {
            guard v <= 60 else { throw r.error("http_stop_grace", "must be at most 60 seconds (a stop settles within a few seconds)") }
            c.http.stopGrace = v
        }
        if dict["http_rate"] != nil {
            c.http.rate = try r.seconds("http_rate", nullable: true)
            if let rate = c.http.rate, rate < 0.01 { throw r.error("http_rate", "must be at least 0.01 messages a second, or null for no limit") }
        }
        if let v = try r.seconds("http_connect_timeout") { c.http.connectTimeout = v }
        if let v = try r.seconds("http_timeout") { c.http.timeout = v }
        if let v = try r.int("http_attempts", min: 1) { c.http.attempts = v }
        if let v = try r.seconds("http_backoff") { c.http.backoff = v }
        if let v = try r.seconds("http_backoff_max") { c.http.backoffMax = v }
        if let v = try r.path("http_ca_file") { c.http.caFile = v }
        if let v = try r.int("http_down_after", min: 1) { c.http.downAfter = v }
        if let v = try r.seconds("price_per_segment") { c.pricePerSegmentFen = v * 100 }
        if let v = try r.int("segment_budget", min: 1) { c.segmentBudget = v }
        return c
    }

    /// The known key nearest to `key` by edit distance, when it is near enough to be a typo.
    public static func closest(to key: String) -> String? {
        let scored = keys.map { ($0, editDistance(Array(key), Array($0))) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, best.count / 3) else { return nil }
        return best
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }

    struct Reader {
        let dict: [String: Any]
        let file: String
        let folder: String

        func error(_ key: String, _ message: String) -> ConfigurationError {
            ConfigurationError(file: file, key: key, message: message)
        }

        func string(_ key: String) throws(ConfigurationError) -> String? {
            guard let v = dict[key] else { return nil }
            guard let s = v as? String else { throw error(key, "must be text") }
            return s
        }

        func path(_ key: String) throws(ConfigurationError) -> String? {
            try string(key).map(resolve)
        }

        func resolve(_ path: String) -> String {
            path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
        }

        func int(_ key: String, min: Int, nullable: Bool = false) throws(ConfigurationError) -> Int? {
            guard let v = dict[key] else { return nil }
            if v is NSNull {
                if nullable { return nil }
                throw error(key, "must be a whole number")
            }
            guard !Reader.isBoolean(v), let n = v as? Int, n >= min else {
                throw error(key, "must be a whole number ≥ \(min)\(nullable ? ", or null for none" : "")")
            }
            return n
        }

        /// `true` or `false`.
        func bool(_ key: String) throws(ConfigurationError) -> Bool? {
            guard let v = dict[key] else { return nil }
            guard Reader.isBoolean(v), let b = v as? Bool else { throw error(key, "must be true or false") }
            return b
        }

        /// JSON `true`/`false` (on Linux, numbers also answer `is Bool`, so ask the class).
        static func isBoolean(_ v: Any) -> Bool {
            String(describing: type(of: v)).contains("Boolean") || type(of: v) == Bool.self
        }

        /// A positive number (seconds, or messages a second), or null when `nullable`.
        func seconds(_ key: String, nullable: Bool = false) throws(ConfigurationError) -> Double? {
            guard let v = dict[key] else { return nil }
            if v is NSNull, nullable { return nil }
            guard !Reader.isBoolean(v), let n = v as? Double, n > 0 else {
                throw error(key, "must be a number > 0\(nullable ? ", or null for none" : "")")
            }
            return n
        }

        func stages(_ key: String) throws(ConfigurationError) -> [Int]? {
            guard let v = dict[key] else { return nil }
            guard let list = v as? [Int], !list.isEmpty, list.allSatisfy({ $0 >= 0 }) else {
                throw error(key, "must be a non-empty list of whole numbers of days ≥ 0")
            }
            return Array(Set(list)).sorted(by: >)
        }

        func ruleSet(_ key: String) throws(ConfigurationError) -> Set<RuleKind>? {
            guard let v = dict[key] else { return nil }
            guard let list = v as? [String] else { throw error(key, "must be a list of rule names") }
            var out: Set<RuleKind> = []
            for name in list {
                guard let rule = RuleKind(rawValue: name) else {
                    throw error(key, "names '\(name)', which is not a rule (trial-expiry, points-clearing, month-end-summary)")
                }
                out.insert(rule)
            }
            return out
        }
    }
}

extension Configuration {
    /// One ASCII character, or the names `tab`, `\t`, `pipe`, `comma`.
    public static func delimiter(_ text: String) -> UInt8? {
        switch text {
        case "tab", "\\t", "\t": return 0x09
        case "pipe": return UInt8(ascii: "|")
        case "comma": return UInt8(ascii: ",")
        default:
            let u = Array(text.utf8)
            guard u.count == 1, u[0] < 0x80, u[0] != 0x22, u[0] != 0x0A, u[0] != 0x0D else { return nil }
            return u[0]
        }
    }
}

/// A configuration that cannot be used.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String?
    public var key: String?
    public var message: String

    public init(file: String?, key: String?, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        var s = file.map { "\($0): " } ?? ""
        if let key { s += "'\(key)' " }
        return s + message
    }
}
