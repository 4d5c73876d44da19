import Foundation
import SMSCore
import SMSSnapshot

/// Loads a snapshot, applies the bad-row tolerance, plans and renders one day.
public struct DayPlanner: Sendable {
    public let configuration: Configuration
    public private(set) var renderer: Renderer

    /// The terminal progress line (silent when not a terminal).
    public let progress = ProgressLine()

    public init(configuration: Configuration, reportsEmptyFields: Bool = false) throws(BatchError) {
        self.configuration = configuration
        let directory = configuration.templateDirectory ?? TemplateLoader.defaultDirectory()
        let templates = try TemplateLoader.load(directory: directory, rules: configuration.rules.enabledRules, registry: configuration.registry)
        renderer = Renderer(templates: templates, signature: configuration.signature)
        renderer.reportsEmptyFields = reportsEmptyFields
    }

    /// Plans `asOf` from `directory` against `history`, reporting to `log`.
    public func plan(directory: String, asOf: CalendarDate, history: InMemoryKeyHistory, log: Log) throws(BatchError) -> DayPlan {
        let started = Date()
        if let unheeded = DayPlanner.dndLeftOut(configuration), !unheeded.isEmpty {
            let names = unheeded.map(\.rawValue).joined(separator: ", ")
            log.warning(
                "dnd_rules leaves out \(names), which respects dnd by default: its notices go to subscribers who asked not to be disturbed (add it to dnd_rules unless that is meant)"
            )
        }
        let loaded: LoadedSnapshot
        do {
            let progress = self.progress
            loaded = try SnapshotLoader(
                options: configuration.snapshot, registry: configuration.registry,
                enabled: configuration.rules.enabledRules
            ).load(directory: directory) {
                progress.read(rows: $0)
            }
        } catch {
            throw BatchError(.badInput, error.description)
        }
        var rejectFile: String?
        let bad = loaded.report.badRows
        if !bad.isEmpty {
            rejectFile = try RejectFile.write(bad, directory: configuration.rejectDirectory, ledger: configuration.ledger, asOf: asOf.description)
            if bad.count > configuration.maxBadRows {
                var message = "\(bad.count) bad rows, more than the \(configuration.maxBadRows) tolerated (--max-bad-rows); nothing was sent:\n"
                message += bad.map { "  \($0)" }.joined(separator: "\n")
                message += "\nrejected rows written to \(rejectFile!)"
                throw BatchError(.badInput, message)
            }
            for row in bad { log.warning("bad row skipped: \(row)") }
            log.warning("\(bad.count) bad rows skipped (tolerance \(configuration.maxBadRows)); written to \(rejectFile!)")
        }
        let loadedAt = Date()
        log.debug("loaded \(loaded.snapshot.subscribers.count) subscribers in \(Self.seconds(loadedAt.timeIntervalSince(started)))")
        let planner = Planner(asOf: asOf, configuration: configuration.rules, registry: configuration.registry)
        let (entries, statistics) = Self.plan(loaded.snapshot, with: planner, history: history, shard: configuration.shard)
        log.debug("found \(entries.count) messages in \(Self.seconds(Date().timeIntervalSince(loadedAt)))")
        return DayPlan(
            asOf: asOf, statistics: statistics, report: loaded.report, rejectFile: rejectFile,
            entries: entries, snapshot: loaded.snapshot, history: history, planner: planner, renderer: renderer,
            progress: progress)
    }

    /// The first planning pass, on all cores: each plans a contiguous part of the subscribers.
    static func plan(
        _ snapshot: Snapshot, with planner: Planner, history: InMemoryKeyHistory,
        shard: Shard
    ) -> (entries: [PlanEntry], statistics: PlanStatistics) {
        let count = snapshot.subscribers.count
        let parts = min(ProcessInfo.activeCores, max(1, count / 50_000))
        guard parts > 1 else { return planner.plan(snapshot, history: history, shard: shard) }
        let per = (count + parts - 1) / parts
        return Planner.merge(
            Parallel.map(parts) { part in
                planner.plan(snapshot, history: history, shard: shard, subscribers: (part * per)..<min(count, (part + 1) * per))
            })
    }

    static func seconds(_ t: Double) -> String { String(format: "%.2f s", t) }

    /// The enabled rules that respect `dnd` by default (not mandatory) but that an explicit `dnd_rules` leaves out —
    /// as a configuration written before a rule existed does; `nil` when `dnd_rules` is not set.
    static func dndLeftOut(_ c: Configuration) -> [RuleKind]? {
        guard let listed = c.rules.dndRules else { return nil }
        return c.registry.rules.filter { !$0.isMandatory && c.rules.isEnabled($0.kind) && !listed.contains($0.kind) }.map { $0.kind }
    }
}
