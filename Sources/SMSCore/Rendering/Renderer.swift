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

    /// Appends the signed text of `message` (signature, then the body from its template variant) to `bytes`;
    /// returns the variant used, the text's UTF-16 units and why it must be held, if it must (SPEC §5).
    private func signedText(of message: PlannedMessage, into bytes: inout [UInt8]) throws(TemplateError) -> (TemplateSet.Variant, Int, HoldReason?) {
        guard let variant = templates.variant(for: message.rule, brand: message.subscriber.brand) else {
            throw TemplateError(file: message.rule.rawValue + ".txt", line: 0, column: 0, reason: .missingDefault)
        }
        let start = bytes.count
        bytes.append(contentsOf: signaturePrefix)
        try variant.template.render(message.scope, into: &bytes)
        let bodyStart = start + signaturePrefix.count
        return bytes.withUnsafeBufferPointer { b in
            let units = TextMetrics.units(UnsafeBufferPointer(rebasing: b[start...]))
            return (variant, units, HoldReason.check(body: UnsafeBufferPointer(rebasing: b[bodyStart...]), units: units))
        }
    }

    /// Renders `message` straight into its JSON Lines record (SPEC §6) at the end of `out`, with `scratch` as room
    /// for the text (reused from call to call); returns the message's segments and why it is held. The same bytes as
    /// `render(message).appendJSONRecord(to:)`, without building the message; a held message writes no record.
    public func encode(
        _ message: PlannedMessage, scratch: inout [UInt8], into out: inout [UInt8]
    ) throws(TemplateError) -> (segments: Int, hold: HoldReason?) {
        // The id goes first, hashed in `scratch` and written as hex (no string); then the text, rendered in `scratch`.
        let start = out.count
        out.append(contentsOf: #"{"id":""#.utf8)
        RenderedMessage.appendID(forKeys: message.keys, scratch: &scratch, to: &out)
        out.append(0x22)
        scratch.removeAll(keepingCapacity: true)
        let variant: TemplateSet.Variant, units: Int, hold: HoldReason?
        do throws(TemplateError) {
            (variant, units, hold) = try signedText(of: message, into: &scratch)
        } catch {
            out.removeSubrange(start...)
            throw error
        }
        let segments = TextMetrics.segments(units: units)
        if let hold {
            out.removeSubrange(start...)
            return (segments, hold)
        }
        scratch.withUnsafeBufferPointer { text in
            RenderedMessage.appendJSONRecordAfterID(
                msisdn: message.msisdn, rule: message.rule, keys: message.keys, text: text,
                segments: segments, units: units, stars: message.stars,
                brand: message.subscriber.brand, template: variant.name, to: &out)
        }
        return (segments, nil)
    }

    public func render(_ message: PlannedMessage) throws(TemplateError) -> RenderedMessage {
        var bytes: [UInt8] = []
        let (variant, units, hold) = try signedText(of: message, into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        return RenderedMessage(
            id: RenderedMessage.id(forKeys: message.keys), msisdn: message.msisdn, rule: message.rule,
            keys: message.keys, text: text, units: units, segments: TextMetrics.segments(units: units),
            stars: message.stars, brand: message.subscriber.brand, template: variant.name,
            emptyFields: reportsEmptyFields ? variant.template.emptyFields(in: message.scope) : [], hold: hold)
    }
}
