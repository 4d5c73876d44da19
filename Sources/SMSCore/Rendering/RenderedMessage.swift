/// A message ready for a gateway: text, length, identity.
public struct RenderedMessage: Sendable, Hashable {
    /// Stable for the same set of keys; gateways use it as the idempotency key.
    public var id: String
    public var msisdn: String
    public var rule: RuleKind
    /// Item keys, sorted.
    public var keys: [String]
    public var text: String
    public var units: Int
    public var segments: Int
    public var stars: Int
    public var brand: Brand
    /// The template used, e.g. `trial-expiry.gotone`.
    public var template: String
    /// Names the template shows that had an empty value (for review; not part of the record).
    public var emptyFields: [String]
    /// Why the message must not be sent (SPEC §5), or `nil` when it may go.
    public var hold: HoldReason?

    public init(
        id: String, msisdn: String, rule: RuleKind, keys: [String], text: String,
        units: Int, segments: Int, stars: Int, brand: Brand, template: String, emptyFields: [String] = [],
        hold: HoldReason? = nil
    ) {
        self.id = id
        self.msisdn = msisdn
        self.rule = rule
        self.keys = keys
        self.text = text
        self.units = units
        self.segments = segments
        self.stars = stars
        self.brand = brand
        self.template = template
        self.emptyFields = emptyFields
        self.hold = hold
    }

    /// The message id of a set of keys: the first 128 bits of SHA-256 over the sorted keys, one per line, in hex.
    public static func id(forKeys keys: [String]) -> String {
        var scratch: [UInt8] = []
        var hex: [UInt8] = []
        appendID(forKeys: keys, scratch: &scratch, to: &hex)
        return String(decoding: hex, as: UTF8.self)
    }

    /// Appends the id of `keys` (32 hex digits) to `out`, with `scratch` as room for the hashed bytes (reused from
    /// call to call): no string, no array made per message.
    static func appendID(forKeys keys: [String], scratch: inout [UInt8], to out: inout [UInt8]) {
        let sorted = zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 } ? keys : keys.sorted()
        scratch.removeAll(keepingCapacity: true)
        for (i, key) in sorted.enumerated() {
            if i > 0 { scratch.append(0x0A) }
            scratch.append(contentsOf: key.utf8)
        }
        SHA256.appendHex(padding: &scratch, digits: 32, to: &out)
    }
}
