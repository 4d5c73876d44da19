import Foundation
import SMSCore

/// Reads a template folder into a ``TemplateSet``.
public enum TemplateLoader {
    /// Loads every `*.txt` of `directory`; names in errors are paths.
    public static func load(directory: String, rules: Set<RuleKind>? = nil, registry: RuleRegistry = .standard) throws(BatchError) -> TemplateSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw BatchError(.configuration, "template folder \(directory) cannot be read; set template_dir in the config file")
        }
        var files: [(name: String, source: String)] = []
        for name in names where name.hasSuffix(".txt") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path),
                let source = String(data: data, encoding: .utf8)
            else {
                throw BatchError(.configuration, "\(path): cannot be read as UTF-8 text")
            }
            files.append((name, source))
        }
        do {
            return try TemplateSet(files: files, rules: rules, registry: registry) { (directory as NSString).appendingPathComponent($0) }
        } catch {
            throw BatchError(.configuration, error.description)
        }
    }

    /// `templates` in the working directory, else the folder shipped beside the smsbatch package.
    public static func defaultDirectory() -> String {
        let fm = FileManager.default
        if fm.fileExists(atPath: "templates") { return "templates" }
        var url = URL(fileURLWithPath: (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("templates").path
            if fm.fileExists(atPath: url.appendingPathComponent("Package.swift").path), fm.fileExists(atPath: candidate) {
                return candidate
            }
        }
        return "templates"
    }
}
