import Foundation
import SMSCore
import SMSGateway
import SMSLedger

/// The commands of smsbatch as library calls: dry run, run, replay, send.
public struct NightlyJob {
    public let configuration: Configuration
    public let log: Log
    let clock: Clock

    public init(configuration: Configuration, log: Log = Log()) throws(BatchError) {
        self.configuration = configuration
        self.log = log
        clock = try Clock(zoneIdentifier: configuration.timeZone)
    }

    /// The local moment of `--now`, or the wall clock.
    public func now(_ text: String?) throws(BatchError) -> LocalMoment {
        let moment = try text.map { (t: String) throws(BatchError) in try clock.parse(t) } ?? clock.moment(Date())
        guard (1970...9000).contains(moment.day.year) else {
            throw BatchError(.usage, "--now \(text ?? "") is outside the years smsbatch plans (1970–9000)")
        }
        return moment
    }

    /// Plans `asOf` against the ledger as it is and writes the records to the gateway target; changes nothing else.
    /// The records are JSON Lines (SPEC §6) in a file, or on standard output when it is not a terminal; on a
    /// terminal they are readable lines with the numbers masked.
    public func dryRun(data: String, asOf: CalendarDate) throws(BatchError) -> DayPlan {
        let history = try existingHistory()
        var plan = try DayPlanner(configuration: configuration).plan(directory: data, asOf: asOf, history: history, log: log)
        let gateway: any Gateway
        let target = try target()
        if target.isFile || isatty(1) == 0 {
            // Records (SPEC §6) are encoded on the rendering threads and appended as they come: to the file, or to
            // standard output when it is piped (a person at a terminal gets readable, masked lines instead).
            let file: FileGateway
            if case let .file(path) = target {
                file = try open { () throws(GatewayError) in try FileGateway(path: path) }
            } else {
                file = FileGateway(standardOutput: ())
            }
            gateway = file
            try plan.forEachEncodedChunk(size: configuration.renderChunk) { (bytes) throws(BatchError) in
                try open { () throws(GatewayError) in try file.append(encoded: bytes) }
            }
        } else {
            let printer = StdoutGateway()
            gateway = printer
            try plan.forEachChunk(size: configuration.renderChunk) { (chunk) throws(BatchError) in
                try open { () throws(GatewayError) in try printer.print(chunk.filter { $0.hold == nil }) }
            }
        }
        try open { () throws(GatewayError) in try gateway.finish() }
        log.info(Summary.planLine(plan) + " (dry run: nothing recorded, nothing sent)", Summary.metadata(plan, nil))
        return plan
    }

    /// A dry run for review: plans against the ledger as it is and returns the report; writes nothing but `html`.
    public func preview(data: String, asOf: CalendarDate, html: String?) throws(BatchError) -> PreviewReport {
        let history = try existingHistory()
        let plan = try DayPlanner(configuration: configuration, reportsEmptyFields: true).plan(
            directory: data, asOf: asOf, history: history, log: log)
        let report = try PreviewReport(plan: plan, configuration: configuration)
        if let html {
            try ReportFile.write(PreviewPage.render(report), to: html, what: "the preview page")
        }
        return report
    }

    /// Plans `asOf`, records it in the ledger, and delivers what may go out `now`.
    public func run(data: String, asOf: CalendarDate, now: LocalMoment) throws(BatchError) -> (DayPlan, DeliveryStatistics) {
        let (lock, ledger) = try openLedger()
        defer { withExtendedLifetime(lock) {} }
        let started = Date()
        let plan = try planAndRecord(data: data, asOf: asOf, ledger: ledger, now: now)
        let recorded = Date()
        log.debug("planned and recorded \(plan.count) messages in \(DayPlanner.seconds(recorded.timeIntervalSince(started)))")
        let delivery = try deliver(ledger: ledger, at: now)
        log.debug("delivered in \(DayPlanner.seconds(Date().timeIntervalSince(recorded)))")
        log.info(Summary.planLine(plan) + "; " + Summary.deliveryLine(delivery), Summary.metadata(plan, delivery))
        return (plan, delivery)
    }

    /// Runs every day from `from` to `to` as the nightly job would, each starting when the window opens.
    /// A folder `data/YYYY-MM-DD/` replaces `data` for that day.
    public func replay(data: String, from: CalendarDate, to: CalendarDate) throws(BatchError) -> [(DayPlan, DeliveryStatistics)] {
        guard from <= to else { throw BatchError(.usage, "--from \(from) is after --to \(to)") }
        let (lock, ledger) = try openLedger()
        defer { withExtendedLifetime(lock) {} }
        var results: [(DayPlan, DeliveryStatistics)] = []
        var day = from
        while day <= to {
            try Interruption.check("before replaying \(day)")
            let folder = (data as NSString).appendingPathComponent(day.description)
            var isDirectory: ObjCBool = false
            let dayData = FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue ? folder : data
            let now = clock.moment(day: day, minute: configuration.sendWindow.start)
            let plan = try planAndRecord(data: dayData, asOf: day, ledger: ledger, now: now)
            let delivery = try deliver(ledger: ledger, at: now)
            log.info(Summary.planLine(plan) + "; " + Summary.deliveryLine(delivery), Summary.metadata(plan, delivery))
            results.append((plan, delivery))
            day = day.adding(days: 1)
        }
        return results
    }

    /// Delivers what waits in the ledger.
    public func send(now: LocalMoment) throws(BatchError) -> DeliveryStatistics {
        let (lock, ledger) = try openLedger()
        defer { withExtendedLifetime(lock) {} }
        let delivery = try deliver(ledger: ledger, at: now)
        log.info(now.day.description + ": " + Summary.deliveryLine(delivery), Summary.metadata(nil, delivery))
        return delivery
    }

    /// What the ledger holds.
    public func status() throws(BatchError) -> LedgerStatus {
        try requireKnownLedger()
        if let path = missingLedgerFile {
            throw BatchError(.usage, "no ledger at \(path) yet; a run creates it (or pass --ledger)")
        }
        return try ledgerCall { () throws(LedgerError) in
            try LedgerOpener.open(configuration.ledger, forWriting: false, registry: configuration.registry).status()
        }
    }

    /// Held messages waiting for an operator, in plan order.
    public func held(limit: Int) throws(BatchError) -> [HeldMessage] {
        try requireKnownLedger()
        if missingLedgerFile != nil { return [] }
        return try ledgerCall { () throws(LedgerError) in
            try LedgerOpener.open(configuration.ledger, forWriting: false, registry: configuration.registry).heldMessages(limit: limit)
        }
    }

    /// Releases (back to the queue, sent by the next send inside the window) or drops held messages, recording who
    /// and when; `ids` `nil` for all of them. Returns how many changed.
    public func decide(_ action: HeldAction, ids: [String]?, by: String, note: String?, now: LocalMoment) throws(BatchError) -> Int {
        let (lock, ledger) = try openLedger()
        defer { withExtendedLifetime(lock) {} }
        return try ledgerCall { () throws(LedgerError) in
            try ledger.decide(
                OperatorDecision(
                    action: action, ids: ids, by: by, note: note, timestamp: now.timestamp,
                    day: now.day.description))
        }
    }

    /// Messages per state and rule in the ledger, or nothing when it cannot be read.
    public func ledgerCounts() -> [MessageState: [RuleKind: Int]] {
        guard missingLedgerFile == nil, !LedgerLocation.isUnknownURL(configuration.ledger),
            let status = try? LedgerOpener.open(configuration.ledger, forWriting: false, registry: configuration.registry).status()
        else { return [:] }
        return status.counts
    }

    // MARK: - Steps

    /// Plans `asOf` and records it. Under the approval gate the messages are recorded `awaiting` under the plan's
    /// digest, and go to the queue only if that digest is approved (now or later).
    func planAndRecord(data: String, asOf: CalendarDate, ledger: any Ledger, now: LocalMoment) throws(BatchError) -> DayPlan {
        let history = try ledgerCall { () throws(LedgerError) in try ledger.history() }
        Interruption.stopsAtOnce(true)
        let planned = Result { () throws(BatchError) in
            try DayPlanner(configuration: configuration).plan(directory: data, asOf: asOf, history: history, log: log)
        }
        Interruption.stopsAtOnce(false)
        var plan = try planned.get()
        try Interruption.check("while planning \(asOf), before recording anything")
        let (rules, registry) = (configuration.rules, configuration.registry)
        let gated = configuration.requireApproval
        let token = gated ? "pending:" + UUID().uuidString : nil
        if let token {
            // A gated run that stopped while recording left its messages unnamed: they join this plan (they come
            // first in plan order), so its digest covers everything that waits.
            let adopted = try ledgerCall { () throws(LedgerError) in try ledger.adoptUnsealedPlans(token: token) }
            if adopted > 0 { log.warning("\(adopted) messages a stopped gated run recorded join this plan") }
        }
        try plan.forEachChunk(size: configuration.renderChunk) { (chunk) throws(BatchError) in
            // Each chunk is one transaction: a stop between chunks leaves whole messages, and the next run plans the rest.
            try Interruption.check("while recording \(asOf); what was recorded is sent by the next run, which plans the rest")
            _ = try ledgerCall { () throws(LedgerError) in
                try ledger.record(
                    chunk, planDay: asOf, dueDay: asOf.description, plan: token,
                    expiry: { m in
                        m.keys.compactMap { registry.lastUsefulDay(of: $0, configuration: rules) }.min()
                    }, timestamp: now.timestamp)
            }
        }
        try ledgerCall { () throws(LedgerError) in try ledger.finishRecording() }
        if let token {
            let hex = try ledgerCall { () throws(LedgerError) in try ledger.sealPlan(token: token).digest }
            plan.digest = hex
            try ledgerCall { () throws(LedgerError) in
                plan.released = try ledger.releaseIfApproved(digest: hex, day: now.day.description, timestamp: now.timestamp)
                plan.otherApprovals = try ledger.approvals().filter { $0.usedAt == nil && $0.digest != hex }.map(\.digest)
            }
            if plan.released > 0 {
                log.info("plan \(hex) was approved before the run: its \(plan.released) messages go out")
            } else {
                for other in plan.otherApprovals {
                    log.warning(
                        "the approved plan \(other) differs from this plan \(hex): the digest differs, so nothing of this plan goes until it is approved"
                    )
                }
                log.info("plan \(hex) awaits approval: smsbatch approve --plan \(hex) --by NAME")
            }
        }
        return plan
    }

    func deliver(ledger: any Ledger, at now: LocalMoment) throws(BatchError) -> DeliveryStatistics {
        let gateway = try makeGateway()
        let reporting = gateway as? any ReportingGateway
        let reports = reporting.map { StatusReports(ledger: ledger, gateway: $0, timestamp: now.timestamp) }
        let stats: DeliveryStatistics
        do throws(BatchError) {
            stats = try Delivery(ledger: ledger, gateway: gateway, configuration: configuration, log: log).run(at: now, clock: clock)
            // Reports of what was just sent, and those the centre kept from earlier runs (pushed after the login).
            if let reporting {
                try open { () throws(GatewayError) in try reporting.collectReports(until: { Interruption.requested }) }
            }
        } catch {
            reporting?.disconnect()
            reports?.logSummary(log)
            throw error
        }
        try open { () throws(GatewayError) in try gateway.finish() }
        reports?.logSummary(log)
        if let opens = stats.windowOpens, stats.waiting > 0 {
            log.info("outside the send window \(configuration.sendWindow): \(stats.waiting) messages wait in the ledger until \(opens)")
        }
        return stats
    }

    /// Opens the ledger for a run. A SQLite file is one process's at a time (the lock is held until the returned
    /// lock is released); a PostgreSQL ledger is shared, its transactions keep concurrent processes apart.
    func openLedger() throws(BatchError) -> (LedgerLock?, any Ledger) {
        try requireKnownLedger()
        guard case let .file(path) = LedgerLocation(configuration.ledger) else {
            return (
                nil,
                try ledgerCall { () throws(LedgerError) in
                    try LedgerOpener.open(configuration.ledger, forWriting: true, registry: configuration.registry)
                }
            )
        }
        let lock = try ledgerCall { () throws(LedgerError) in try LedgerLock(ledgerPath: path) }
        guard let lock else {
            throw BatchError(.locked, "another smsbatch run holds the ledger \(path); try again when it has finished")
        }
        let ledger = try ledgerCall { () throws(LedgerError) in try SQLiteLedger(path: path, registry: configuration.registry) }
        return (lock, ledger)
    }

    /// The path of a SQLite ledger that does not exist yet (nothing recorded so far), or `nil`.
    var missingLedgerFile: String? {
        guard case let .file(path) = LedgerLocation(configuration.ledger), !FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }

    /// A SQLite file or a `postgres://` URL; any other URL gets a clear sentence instead of a file error.
    func requireKnownLedger() throws(BatchError) {
        if LedgerLocation.isUnknownURL(configuration.ledger) {
            throw BatchError(
                .configuration,
                "ledger \(LedgerLocation.redacted(configuration.ledger)) is a URL smsbatch cannot use; pass a SQLite file or a postgres://user@host:port/db URL"
            )
        }
    }

    func existingHistory() throws(BatchError) -> InMemoryKeyHistory {
        try requireKnownLedger()
        if missingLedgerFile != nil { return InMemoryKeyHistory() }
        return try ledgerCall { () throws(LedgerError) in
            try LedgerOpener.open(configuration.ledger, forWriting: false, registry: configuration.registry).history()
        }
    }

    func target() throws(BatchError) -> GatewayTarget {
        try open { () throws(GatewayError) in try GatewayTarget(configuration.gateway) }
    }

    func makeGateway() throws(BatchError) -> any Gateway {
        switch try target() {
        case .stdout: return StdoutGateway()
        case let .file(path): return try open { () throws(GatewayError) in try FileGateway(path: path) }
        case let .http(url):
            let token = ProcessInfo.processInfo.environment["SMSBATCH_HTTP_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return try open { () throws(GatewayError) in try CurlGateway(url: url, options: configuration.http, token: token) }
        case let .cmpp(url):
            let options = try open { () throws(GatewayError) in try CMPPOptions(url: url) }
            guard let secret = ProcessInfo.processInfo.environment[CMPPOptions.secretVariable], !secret.isEmpty else {
                throw BatchError(
                    .configuration,
                    "the CMPP gateway needs the shared secret in \(CMPPOptions.secretVariable) (it is never taken from the command line or the URL)")
            }
            return CMPPGateway(options: options, secret: secret, rate: configuration.http.rate, stopGrace: configuration.http.stopGrace)
        }
    }

    func open<T>(_ body: () throws(GatewayError) -> T) throws(BatchError) -> T {
        do {
            return try body()
        } catch {
            switch error.kind {
            case .unavailable: throw BatchError(.gatewayUnavailable, error.message)
            case .writeFailed: throw BatchError(.io, error.message)
            case .badTarget: throw BatchError(.usage, error.message)
            case .misconfigured: throw BatchError(.configuration, error.message)
            }
        }
    }

    func ledgerCall<T>(_ body: () throws(LedgerError) -> T) throws(BatchError) -> T {
        do {
            return try body()
        } catch {
            throw BatchError(error)
        }
    }
}
