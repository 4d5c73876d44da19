import ArgumentParser
import SMSBatch

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration: every setting, its value, and where it came from.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print the table of every setting, its default and meaning (the README's) instead.")
    var markdown = false

    func run() throws {
        if markdown {
            print(Configuration.settingsTable())
            return
        }
        let (configuration, sources) = try common.resolveWithSources()
        let width = configuration.settings.map(\.key.count).max() ?? 0
        print("{")
        for (i, setting) in configuration.settings.enumerated() {
            let comma = i == configuration.settings.count - 1 ? "" : ","
            let line = "  \"\(setting.key)\": \(setting.value)\(comma)"
            let pad = String(repeating: " ", count: max(1, width + 34 - line.count))
            print(line + pad + "// " + (sources[setting.key] ?? "default"))
        }
        print("}")
    }
}
