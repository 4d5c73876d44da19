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
            let pad = String(repeating: " ", count: max(1, width + 34 - ConfigCommand.columns(line)))
            print(line + pad + "// " + (sources[setting.key] ?? "default"))
        }
        print("}")
    }

    /// Terminal columns `text` takes: East Asian wide characters (汉字, full-width forms, 【】“”) take two.
    static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { n, s in
            let v = s.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x2018...0x201D).contains(v) || (0x1F300...0x1FAFF).contains(v)
            return n + (wide ? 2 : 1)
        }
    }
}
