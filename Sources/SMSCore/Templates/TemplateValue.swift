/// A value a template can show: text, a condition, or a list of scopes to repeat over.
public enum TemplateValue: Sendable, Hashable {
    case text(String)
    case flag(Bool)
    case list([TemplateScope])
}

/// Names visible at one level of a template.
public typealias TemplateScope = [String: TemplateValue]

/// What a template may name at each level: the contract between a rule and its templates.
public struct TemplateSchema: Sendable {
    public indirect enum Kind: Sendable {
        case text
        case flag
        case list(TemplateSchema)
    }

    public var fields: [String: Kind]

    public init(_ fields: [String: Kind]) { self.fields = fields }

    /// The names that may be used in the scope of a list element, after the element's own.
    public var sortedNames: [String] { fields.keys.sorted() }
}
