/// Every rule's templates: a default and optional per-brand variants.
///
/// Files are named `{rule}.txt` (the default) and `{rule}.{brand}.txt` (a variant), e.g.
/// `trial-expiry.txt` and `trial-expiry.gotone.txt`. A brand without a variant falls back to the default.
public struct TemplateSet: Sendable {
    /// A class, so that handing one out per message costs one reference count, not one per array in the template.
    public final class Variant: Sendable {
        public let template: Template
        /// `trial-expiry` or `trial-expiry.gotone`.
        public let name: String

        init(template: Template, name: String) {
            self.template = template
            self.name = name
        }
    }

    public private(set) var defaults: [RuleKind: Variant] = [:]
    public private(set) var variants: [RuleKind: [Brand: Variant]] = [:]
    /// ``variant(for:brand:)`` of every rule and brand, by their positions in the registry (no hashing per message).
    private var chosen: [Variant?] = []
    private var kinds: [RuleKind] = []

    /// Builds a set from file names and contents. Files that name no rule are ignored; each rule used (`nil`: every
    /// registered rule) must have a default.
    public init(
        files: [(name: String, source: String)], rules: Set<RuleKind>? = nil, registry: RuleRegistry = .standard,
        display: (String) -> String = { $0 }
    ) throws(TemplateError) {
        for (name, source) in files.sorted(by: { $0.name < $1.name }) {
            guard name.hasSuffix(".txt") else { continue }
            let stem = String(name.dropLast(4))
            let parts = stem.split(separator: ".", maxSplits: 1).map(String.init)
            guard let rule = registry.rule(named: parts[0]) else { continue }
            let template = try Template(source: source, file: display(name), schema: rule.fullSchema)
            let kind = rule.kind
            if parts.count == 1 {
                defaults[kind] = Variant(template: template, name: stem)
            } else {
                guard let brand = Brand(rawValue: parts[1]) else {
                    throw TemplateError(file: display(name), line: 0, column: 0, reason: .unknownVariant(parts[1]))
                }
                variants[kind, default: [:]][brand] = Variant(template: template, name: stem)
            }
        }
        for rule in (rules ?? Set(registry.kinds)).sorted() where defaults[rule] == nil {
            throw TemplateError(file: display(rule.rawValue + ".txt"), line: 0, column: 0, reason: .missingDefault)
        }
        kinds = registry.kinds
        chosen = kinds.flatMap { rule in Brand.allCases.map { variants[rule]?[$0] ?? defaults[rule] } }
    }

    /// The template for a rule and brand: the brand's variant, else the rule's default.
    public func variant(for rule: RuleKind, brand: Brand) -> Variant? {
        guard let r = kinds.firstIndex(of: rule) else { return nil }
        let b = Brand.allCases.firstIndex(of: brand)!
        return chosen[r * Brand.allCases.count + b]
    }

    /// Brands of a rule that fall back to the default template.
    public func brandsWithoutVariant(_ rule: RuleKind) -> [Brand] {
        Brand.allCases.filter { variants[rule]?[$0] == nil }
    }
}
