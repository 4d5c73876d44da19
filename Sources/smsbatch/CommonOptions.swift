import ArgumentParser
import Foundation
import SMSBatch
import SMSCore
import SMSSnapshot

/// Options every command takes; each overrides the config file.
struct CommonOptions: ParsableArguments {
    @Option(help: "JSON configuration file (see README for every key and default).")
    var config: String?

    @Option(help: "Ledger file (default smsbatch-ledger.sqlite).")
    var ledger: String?

    @Option(help: "stdout, file:PATH or an http(s):// URL (default stdout).")
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

    @Option(help: "HTTP gateway: messages per second at most (default no limit).")
    var rate: Double?

    @Flag(help: "Print only warnings and errors.")
    var quiet = false

    /// Defaults, then the config file, then the environment, then these flags.
    func resolve() throws -> Configuration {
        var c = Configuration()
        if let config {
            do { c = try ConfigurationFile.load(config, onto: c) } catch { throw BatchError(.configuration, error.description) }
        }
        if let url = ProcessInfo.processInfo.environment["SMSBATCH_LEDGER_URL"], !url.isEmpty { c.ledger = url }
        if let ledger { c.ledger = ledger }
        if let gateway { c.gateway = gateway }
        if let encoding {
            guard let e = TextEncoding(name: encoding) else { throw ValidationError("--encoding must be utf-8 or gb18030") }
            c.snapshot.encoding = e
        }
        if let delimiter {
            guard let d = Configuration.delimiter(delimiter) else {
                throw ValidationError("--delimiter must be one ASCII character such as , or |")
            }
            c.snapshot.delimiter = d
        }
        if let maxBadRows {
            guard maxBadRows >= 0 else { throw ValidationError("--max-bad-rows must be 0 or more") }
            c.maxBadRows = maxBadRows
        }
        if let templates { c.templateDirectory = templates }
        if let concurrency {
            guard concurrency >= 1 else { throw ValidationError("--concurrency must be 1 or more") }
            c.http.concurrency = concurrency
        }
        if let rate {
            guard rate > 0 else { throw ValidationError("--rate must be more than 0") }
            c.http.rate = rate
        }
        return c
    }

    func job() throws -> NightlyJob {
        try NightlyJob(configuration: resolve(), log: Log(quiet: quiet))
    }
}

func parseDay(_ text: String, option: String) throws -> CalendarDate {
    guard let d = CalendarDate(text) else { throw ValidationError("\(option) '\(text)' is not a date YYYY-MM-DD") }
    return d
}
