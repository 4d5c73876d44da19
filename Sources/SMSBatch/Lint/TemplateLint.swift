import Foundation
import SMSCore

/// Checks a template folder before it is used: every template loads, fits its segment budget at worst case,
/// carries no link or 【】, and each rule has a default (brands without their own variant are noted).
public struct TemplateLint {
    public let directory: String
    public let configuration: Configuration
    public let registry: RuleRegistry

    /// The notices every template is measured with.
    let samples: LintSamples
    /// Whether to show every sample's text (`lint --show`), for a reviewer.
    public var showsSamples = false

    public init(directory: String, configuration: Configuration) {
        self.directory = directory
        self.configuration = configuration
        registry = configuration.registry
        samples = LintSamples(configuration: configuration)
    }

    public func run() -> [LintFinding] {
        var findings: [LintFinding] = []
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".txt") }.sorted()
        } catch {
            return [LintFinding(file: directory, severity: .error, message: "the template folder cannot be read")]
        }
        var present: [RuleKind: Set<String>] = [:]
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            let parts = String(name.dropLast(4)).split(separator: ".", maxSplits: 1).map(String.init)
            guard let ruleType = registry.rule(named: parts[0]) else {
                let names = registry.kinds.map(\.rawValue).joined(separator: ", ")
                findings.append(LintFinding(file: path, severity: .warning, message: "names no rule (\(names)); it is ignored"))
                continue
            }
            let rule = ruleType.kind
            if parts.count == 2 && Brand(rawValue: parts[1]) == nil {
                findings.append(LintFinding(file: path, severity: .error, message: "'\(parts[1])' is not a brand (gotone, mzone, easyown)"))
                continue
            }
            present[rule, default: []].insert(parts.count == 2 ? parts[1] : "")
            guard let data = FileManager.default.contents(atPath: path), let source = String(data: data, encoding: .utf8) else {
                findings.append(LintFinding(file: path, severity: .error, message: "cannot be read as UTF-8 text"))
                continue
            }
            let template: Template
            do {
                template = try Template(source: source, file: path, schema: ruleType.fullSchema)
            } catch {
                let place = error.line > 0 ? "\(error.line):\(error.column): " : ""
                findings.append(LintFinding(file: path, severity: .error, message: place + error.sentence))
                continue
            }
            findings += worstCase(template, rule: rule, brand: parts.count == 2 ? Brand(rawValue: parts[1]) : nil, path: path)
        }
        for rule in registry.kinds where configuration.rules.isEnabled(rule) {
            let have = present[rule] ?? []
            let path = (directory as NSString).appendingPathComponent(rule.rawValue + ".txt")
            if !have.contains("") {
                findings.append(LintFinding(file: path, severity: .error, message: "missing: every rule needs a default template"))
            }
            let missing = Brand.allCases.filter { !have.contains($0.rawValue) }
            if !missing.isEmpty && have.contains("") {
                findings.append(
                    LintFinding(
                        file: path, severity: .note,
                        message: "no brand variant for \(missing.map(\.rawValue).joined(separator: ", ")): they get this default"))
            }
        }
        return findings
    }

    /// Elements in every list of the worst case.
    static let listLength = 5

    /// The most steps a worst case may take to render. Lists nested in lists multiply (five elements each: 5^k), so a
    /// template past this is reported instead of rendered; the shipped ones take about a hundred.
    static let maxExpansion = 100_000

    /// Renders every case of ``LintSamples`` of the template's rule with it and reports the longest against its
    /// budget; any rendering over 500 units, or carrying a link or 【】, is an error.
    func worstCase(_ template: Template, rule: RuleKind, brand: Brand?, path: String) -> [LintFinding] {
        guard let schema = registry.rule(rule)?.fullSchema else { return [] }
        guard template.expansion(schema: schema, listLength: Self.listLength) <= Self.maxExpansion else {
            return [
                LintFinding(
                    file: path, severity: .error,
                    message: "lists inside lists repeat parts of this template more "
                        + "than \(Self.maxExpansion) times at worst (\(Self.listLength) elements a list); open each list once, not inside itself")
            ]
        }
        var out: [LintFinding] = []
        var longest: (units: Int, label: String) = (0, "")
        // A rule's default is measured as 神州行 (the plain voice) would get it.
        for c in samples.cases where c.message.rule == rule && c.brand == (brand ?? .easyown) {
            guard let body = try? template.render(c.message.scope) else { continue }
            let text = TextFormat.signed(body, signature: configuration.signature)
            let units = TextMetrics.units(text)
            let segments = TextMetrics.segments(units: units)
            let budget = LintSamples.budget(items: c.items, brand: brand, configured: configuration.segmentBudget)
            if units > longest.units { longest = (units, c.label) }
            if showsSamples {
                out.append(LintFinding(file: path, severity: .note, message: "\(c.label) (\(units) units, \(segments) segments): \(text)"))
            }
            if segments > budget {
                out.append(
                    LintFinding(
                        file: path, severity: .warning,
                        message: "\(c.label): \(units) units = \(segments) segments, over its budget of \(budget)"))
            }
            if units > HoldReason.maxUnits {
                out.append(
                    LintFinding(
                        file: path, severity: .error,
                        message: "\(c.label): \(units) units, over the \(HoldReason.maxUnits) a platform takes in one message"))
            }
            // What would hold every message of this template (SPEC §5) is a template error, not tonight's surprise.
            if let problem = TextPolicy.problem(in: body) {
                out.append(LintFinding(file: path, severity: .error, message: "\(c.label): rendered text contains \(problem)"))
            }
        }
        out.append(
            LintFinding(
                file: path, severity: .note,
                message: "longest: \(longest.label), \(longest.units) units = \(TextMetrics.segments(units: longest.units)) segments"))
        return out
    }

    /// Long values for every name: five of every list, the longest names, big numbers, far dates.
    static func scope(_ schema: TemplateSchema, flags: Bool) -> TemplateScope {
        var scope: TemplateScope = [:]
        for (name, kind) in schema.fields {
            switch kind {
            case .text: scope[name] = .text(sample(name))
            case .flag: scope[name] = .flag(flags)
            case let .list(element):
                scope[name] = .list(
                    (0..<listLength).map { i in
                        var e = TemplateLint.scope(element, flags: flags)
                        e["first"] = .flag(i == 0)
                        e["last"] = .flag(i == listLength - 1)
                        return e
                    })
            }
        }
        return scope
    }

    static func sample(_ name: String) -> String {
        switch name {
        case "name": "咪咕视频尊享钻石会员包月"
        case "code": "MIGUSHIPINZUANSHI"
        case "fee", "paid_total": "1299.99元"
        case "last_free_day", "charge_from", "date", "first_date", "today": "2027年12月31日"
        case "month": "2027年12月"
        case "points", "total_points", "balance": "99999999"
        case "days_left": "30"
        case "count": "99"
        case "more_count": "94"
        case "brand_name": "动感地带"
        case "stars": "5"
        case "hotline": "10086"
        default: String(repeating: "字", count: 10)
        }
    }
}
