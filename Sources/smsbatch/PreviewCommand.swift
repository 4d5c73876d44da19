import ArgumentParser
import Foundation
import SMSBatch

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "A dry run for review: a self-contained HTML page and a short summary; nothing is recorded or sent.")

    @OptionGroup var day: DayOptions

    @Option(help: "Where to write the HTML page (default preview-YYYY-MM-DD.html).")
    var html: String?

    @OptionGroup var common: CommonOptions

    func run() throws {
        let asOf = try day.asOfDate()
        let path = html ?? "preview-\(asOf).html"
        let report = try common.job().preview(data: day.data, asOf: asOf, html: path)
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
