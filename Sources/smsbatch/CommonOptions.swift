import ArgumentParser
import Foundation
import Logging
import SMSBatch
import SMSCore
import SMSGateway
import SMSLedger
import SMSSnapshot

/// Options every command takes; each overrides the config file.
struct CommonOptions: ParsableArguments {
    @Option(help: "JSON configuration file (see README for every key and default).")
    var config: String?

    @Option(help: "Ledger: a SQLite file (default smsbatch-ledger.sqlite) or postgres://user@host:port/db (env SMSBATCH_LEDGER_URL).")
    var ledger: String?

    @Option(name: .customLong("lease-seconds"), help: "Shared ledger: seconds a sender's claim lasts before another may take it over (default 300).")
    var leaseSeconds: Int?

    @Option(
        help: "stdout, file:PATH, an http(s):// URL or cmpp://SPID@HOST:PORT?service_id=…&src_id=… (secret in SMSBATCH_CMPP_SECRET) (default stdout)."
    )
    var gateway: String?

    @Option(help: "Snapshot encoding: utf-8 or gb18030 (default utf-8).")
    var encoding: String?

    @Option(help: "Snapshot field delimiter, one character such as , or | (default ,).")
    var delimiter: String?

    @Option(name: .customLong("max-bad-rows"), help: "Bad rows tolerated before the run stops with exit 65 (default 0).")
    var maxBadRows: Int?

    @Option(name: .customLong("templates"), help: "Template folder (default ./templates).")
    var templates: String?

    @Option(help: "HTTP gateway: transfers in flight at once (default 8).")
    var concurrency: Int?

    @Option(help: "HTTP gateway: messages per second at most; CMPP gateway: SUBMITs per second (default no limit).")
    var rate: Double?

    @Option(name: .customLong("log-format"), help: "human (default) or json lines, on standard error.")
    var logFormat: String = "human"

    @Option(name: .customLong("log-level"), help: "trace, debug, info (default), notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Write Prometheus textfile metrics here after the run (atomically).")
    var metrics: String?

    @Flag(help: "Print only warnings and errors (same as --log-level warning).")
    var quiet = false

    @Flag(
        name: .customLong("requeue-unconfirmed"),
        help: "After a crash, send again what a stopped run was writing to a file that is gone or replaced (may write some twice).")
    var requeueUnconfirmed = false

    /// Set by `run --require-approval`.
    var requireApproval = false

    /// Where each setting came from: `flag`, `env`, `file`, or `default`.
    func resolveWithSources() throws -> (Configuration, [String: String]) {
        var c = Configuration()
        var sources: [String: String] = [:]
        func mark(_ key: String, _ source: String) { sources[key] = source }
        if let config {
            do {
                let (loaded, keys) = try ConfigurationFile.loadWithKeys(config, onto: c)
                c = loaded
                for k in keys { mark(k, "file \(config)") }
            } catch { throw BatchError(.configuration, error.description) }
        }
        if let url = ProcessInfo.processInfo.environment["SMSBATCH_LEDGER_URL"], !url.isEmpty {
            c.ledger = url
            mark("ledger", "env SMSBATCH_LEDGER_URL")
        }
        if let ledger { c.ledger = ledger; mark("ledger", "flag --ledger") }
        if let leaseSeconds {
            guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be 1 or more") }
            c.leaseSeconds = leaseSeconds
            mark("lease_seconds", "flag --lease-seconds")
        }
        if let gateway { c.gateway = gateway; mark("gateway", "flag --gateway") }
        if let encoding {
            guard let e = TextEncoding(name: encoding) else { throw ValidationError("--encoding must be utf-8 or gb18030") }
            c.snapshot.encoding = e
            mark("encoding", "flag --encoding")
        }
        if let delimiter {
            guard let d = Configuration.delimiter(delimiter) else {
                throw ValidationError("--delimiter must be one ASCII character such as , or |")
            }
            c.snapshot.delimiter = d
            mark("delimiter", "flag --delimiter")
        }
        if let maxBadRows {
            guard maxBadRows >= 0 else { throw ValidationError("--max-bad-rows must be 0 or more") }
            c.maxBadRows = maxBadRows
            mark("max_bad_rows", "flag --max-bad-rows")
        }
        if let templates { c.templateDirectory = templates; mark("template_dir", "flag --templates") }
        if requireApproval { c.requireApproval = true; mark("require_approval", "flag --require-approval") }
        c.requeueUnconfirmed = requeueUnconfirmed
        if let concurrency {
            guard (1...HTTPOptions.maxConcurrency).contains(concurrency) else {
                throw ValidationError("--concurrency must be from 1 to \(HTTPOptions.maxConcurrency) (transfers in flight at once)")
            }
            c.http.concurrency = concurrency
            mark("http_concurrency", "flag --concurrency")
        }
        if let rate {
            guard rate >= 0.01 else { throw ValidationError("--rate must be at least 0.01 messages a second") }
            c.http.rate = rate
            mark("http_rate", "flag --rate")
        }
        return (c, sources)
    }

    func resolve() throws -> Configuration { try resolveWithSources().0 }

    /// Sets up logging (once) and builds the job, planning only `shard`.
    func job(shard: Shard = .all) throws -> NightlyJob {
        guard let format = LogFormat(rawValue: logFormat) else { throw ValidationError("--log-format must be human or json") }
        guard var level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if quiet { level = max(level, .warning) }
        Log.bootstrap(format: format, level: level)
        var configuration = try resolve()
        configuration.shard = shard
        return try NightlyJob(configuration: configuration, log: Log())
    }

    /// Runs `body`, then writes the metrics file (also when the run fails) and rethrows.
    /// SIGTERM and SIGINT stop a command that `stopsOnSignal` gracefully (exit 143 / 130, SPEC §5).
    func measured(
        _ command: String, shard: Shard = .all, stopsOnSignal: Bool = true,
        _ body: (NightlyJob, inout RunMetrics) throws -> Void
    ) throws {
        if stopsOnSignal { Interruption.install() }
        var metrics = RunMetrics(command: command)
        let start = Date()
        var job: NightlyJob?
        var failure: (any Error)?
        do {
            let j = try self.job(shard: shard)
            job = j
            try body(j, &metrics)
        } catch {
            failure = error
            metrics.exitCode = (error as? BatchError)?.exitCode ?? ((error as? ExitCode)?.rawValue ?? 2)
        }
        metrics.duration = Date().timeIntervalSince(start)
        if let path = self.metrics {
            metrics.ledger = job?.ledgerCounts() ?? [:]
            metrics.receipts = job?.deliveryReportIfAny() ?? DeliveryReport()
            do {
                try metrics.write(to: path)
            } catch {
                job?.log.error(error.message)
                if failure == nil { failure = error }
            }
        }
        if let failure { throw failure }
    }
}

func parseDay(_ text: String, option: String) throws -> CalendarDate {
    guard let d = CalendarDate(text) else { throw ValidationError("\(option) '\(text)' is not a date YYYY-MM-DD") }
    guard (plannableYears).contains(d.year) else {
        throw ValidationError("\(option) \(text) is outside the years smsbatch plans (\(plannableYears.lowerBound)–\(plannableYears.upperBound))")
    }
    return d
}

/// Business days are in these years: the rules look a year ahead and a month back, and dates stay four-digit.
let plannableYears = 1970...9000

/// `--shard k/N`: plan only one of N parts of the subscribers.
struct ShardOption: ParsableArguments {
    @Option(help: "Plan only part k of N of the subscribers (k from 0 to N-1, or 1 to N), e.g. 2/4; a stable function of the msisdn.")
    var shard: String?

    func value() throws -> Shard {
        guard let shard else { return .all }
        guard let s = Shard(shard) else { throw ValidationError("--shard '\(shard)' must read k/N with N ≥ 1 and k from 0 to N, e.g. 1/4") }
        return s
    }
}
