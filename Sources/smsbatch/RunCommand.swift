import ArgumentParser
import SMSBatch
import SMSCore

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Plan one day from a snapshot folder, record it in the ledger and send what the window allows.")

    @OptionGroup var day: DayOptions

    @Flag(name: .customLong("dry-run"), help: "Plan and write the records to the gateway target; record and send nothing.")
    var dryRun = false

    @Option(help: "Replace the wall clock (ISO 8601, e.g. 2026-11-30T10:00:00+08:00).")
    var now: String?

    @Flag(name: .customLong("require-approval"), help: "Record the plan and send none of it until its digest is approved (smsbatch approve).")
    var requireApproval = false

    @OptionGroup var shard: ShardOption

    @OptionGroup var common: CommonOptions

    func run() throws {
        let asOf = try day.asOfDate()
        var common = self.common
        if requireApproval { common.requireApproval = true }
        try common.measured(dryRun ? "dry-run" : "run", shard: shard.value(), stopsOnSignal: !dryRun) { job, metrics in
            if dryRun {
                metrics.add(try job.dryRun(data: day.data, asOf: asOf))
            } else {
                let (plan, delivery) = try job.run(data: day.data, asOf: asOf, now: job.now(now))
                metrics.add(plan)
                metrics.add(delivery)
                printApproval(plan)
            }
        }
    }
}

/// Under the approval gate: `plan <digest>` on standard output, and whether it awaits approval.
func printApproval(_ plan: DayPlan) {
    guard let digest = plan.digest else { return }
    print("plan \(digest)")
    if plan.released > 0 {
        print("approved before the run: its \(plan.released) messages go out")
    } else {
        for other in plan.otherApprovals { print("the approved plan \(other) differs from this plan: nothing of this plan goes") }
        print("awaits approval: smsbatch approve --plan \(digest) --by NAME")
    }
}

struct ReplayCommand: ParsableCommand {
    /// The longest replay in one command (a year and a day, for a leap year's month ends).
    static let maxDays = 367

    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run every day from --from to --to in order, each as the nightly job would at the window's opening.")

    @Option(help: "Snapshot folder; a subfolder YYYY-MM-DD overrides it for that day.")
    var data: String

    @Option(help: "First day YYYY-MM-DD.")
    var from: String

    @Option(help: "Last day YYYY-MM-DD.")
    var to: String

    @OptionGroup var shard: ShardOption

    @OptionGroup var common: CommonOptions

    func run() throws {
        let (first, last) = (try parseDay(from, option: "--from"), try parseDay(to, option: "--to"))
        guard first <= last else { throw ValidationError("--from \(from) is after --to \(to)") }
        guard first.days(until: last) < ReplayCommand.maxDays else {
            throw ValidationError("--from \(from) to --to \(to) spans more than \(ReplayCommand.maxDays) days; replay a year at a time")
        }
        try common.measured("replay", shard: shard.value()) { job, metrics in
            for (plan, delivery) in try job.replay(data: data, from: first, to: last) {
                metrics.add(plan)
                metrics.add(delivery)
            }
        }
    }
}

struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Deliver what waits in the ledger (inside the send window).")

    @Option(help: "Replace the wall clock (ISO 8601).")
    var now: String?

    @OptionGroup var common: CommonOptions

    func run() throws {
        try common.measured("send") { job, metrics in
            metrics.add(try job.send(now: job.now(now)))
        }
    }
}

/// The snapshot folder and business day of `run` and `preview`.
struct DayOptions: ParsableArguments {
    @Option(help: "Snapshot folder with subscribers.csv, subscriptions.csv, points.csv and optional usage.csv.")
    var data: String

    @Option(name: .customLong("as-of"), help: "Business day YYYY-MM-DD.")
    var asOf: String

    func asOfDate() throws -> CalendarDate { try parseDay(asOf, option: "--as-of") }
}
