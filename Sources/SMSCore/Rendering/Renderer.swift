/// Turns planned messages into texts: picks the template variant, signs, measures.
public struct Renderer: Sendable {
    public let templates: TemplateSet
    /// Added as `【signature】` in front of every body; empty for none.
    public let signature: String
    /// Whether to list the template names that rendered empty (for review pages; costs time).
    public var reportsEmptyFields = false

    /// `【signature】` as UTF-8, put in front of every body (``TextFormat/signed(_:signature:)``).
    private let signaturePrefix: [UInt8]

    public init(templates: TemplateSet, signature: String) {
        self.templates = templates
        self.signature = signature
        signaturePrefix = Array(TextFormat.signed("", signature: signature).utf8)
    }

    public func render(_ message: PlannedMessage) throws(TemplateError) -> RenderedMessage {
        guard let variant = templates.variant(for: message.rule, brand: message.subscriber.brand) else {
            throw TemplateError(file: message.rule.rawValue + ".txt", line: 0, column: 0, reason: .missingDefault)
        }
        var bytes = signaturePrefix
        try variant.template.render(message.scope, into: &bytes)
        let units = TextMetrics.units(bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        return RenderedMessage(
            id: RenderedMessage.id(forKeys: message.keys), msisdn: message.msisdn, rule: message.rule,
            keys: message.keys, text: text, units: units, segments: TextMetrics.segments(units: units),
            stars: message.stars, brand: message.subscriber.brand, template: variant.name,
            emptyFields: reportsEmptyFields ? variant.template.emptyFields(in: message.scope) : [])
    }
}
