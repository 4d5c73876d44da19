import ArgumentParser
import Foundation
import SMSBatch

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "A dry run for review: a self-contained HTML page, a short summary and the plan's digest to approve; nothing is recorded or sent.")

    @Option(help: "Snapshot folder (not with --pending).")
    var data: String?

    @Option(name: .customLong("as-of"), help: "Business day YYYY-MM-DD (not with --pending).")
    var asOf: String?

    @Flag(help: "Show what waits in the ledger for approval, with each plan's digest, instead of planning a day.")
    var pending = false

    @Option(help: "Where to write the HTML page (default preview-YYYY-MM-DD.html; with --pending, none unless given).")
    var html: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if pending {
            guard data == nil, asOf == nil else { throw ValidationError("--pending shows the ledger's waiting plans: it takes no --data or --as-of") }
        } else {
            guard data != nil, asOf != nil else { throw ValidationError("preview needs --data DIR and --as-of YYYY-MM-DD (or --pending)") }
        }
    }

    func run() throws {
        let job = try common.job()
        if pending {
            let plans = try job.pendingPlans()
            if plans.isEmpty {
                print("nothing waits for approval in the ledger.")
            }
            for (plan, recomputed) in plans {
                print("plan \(recomputed)")
                let byRule = Dictionary(grouping: plan.messages, by: \.rule).map { "\($0.key.rawValue) \($0.value.count)" }.sorted()
                print(
                    "  planned for \(plan.planDay): \(plan.messages.count) messages (\(byRule.joined(separator: ", "))); approve with: smsbatch approve --plan \(recomputed) --by NAME"
                )
                if recomputed != plan.digest {
                    print("  warning: the ledger recorded this plan as \(plan.digest); its messages now digest to \(recomputed)")
                }
            }
            if let html { try PendingPage.write(plans, to: html) }
            return
        }
        let day = try parseDay(asOf!, option: "--as-of")
        let path = html ?? "preview-\(day).html"
        let report = try job.preview(data: data!, asOf: day, html: path)
        print("plan \(report.digest)")
        print(report.terminalSummary)
        print("  page: \(path)")
    }
}

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check every template: names, worst-case length against the segment budget, links, brand variants.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "Treat warnings (over the segment budget) as errors.")
    var strict = false

    @Flag(help: "Show the text of every sample notice each template is measured with.")
    var show = false

    func run() throws {
        let configuration = try common.resolve()
        let directory = configuration.templateDirectory ?? TemplateLoader.defaultDirectory()
        var lint = TemplateLint(directory: directory, configuration: configuration)
        lint.showsSamples = show
        let findings = lint.run()
        for f in findings { print(f) }
        let errors = findings.filter { $0.severity == .error || (strict && $0.severity == .warning) }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        print("lint: \(errors) errors, \(warnings) warnings in \(directory)")
        if errors > 0 { throw ExitCode(1) }
    }
}
