/// A rule's name and its place in the send order (SPEC §3.4). Each rule's type declares its own (``NoticeRule/kind``);
/// the names of the registered rules are also reachable as `RuleKind.trialExpiry` and so on.
public struct RuleKind: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The name in keys' texts, ledgers, templates and configuration, e.g. `trial-expiry`.
    public let rawValue: String
    /// Smaller first in the send order; rules are spaced by 10 so a new one can go between two.
    public let order: Int

    public init(name: String, order: Int) {
        rawValue = name
        self.order = order
    }

    /// The registered rule of that name (``RuleRegistry/standard``), or `nil`: an unknown name is never read as another.
    public init?(rawValue: String) {
        guard let kind = RuleRegistry.standard.kind(named: rawValue) else { return nil }
        self = kind
    }

    /// Every registered rule, in send order.
    public static var allCases: [RuleKind] { RuleRegistry.standard.kinds }

    public static func < (a: RuleKind, b: RuleKind) -> Bool { (a.order, a.rawValue) < (b.order, b.rawValue) }
    public static func == (a: RuleKind, b: RuleKind) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let kind = RuleKind(rawValue: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(name)' is not a rule"))
        }
        self = kind
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
