/// A column of a rule's table and what its values must be.
public struct TableColumn: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A mainland mobile number (`+86`/`86` stripped).
        case msisdn
        /// Text of 1–40 characters, no control characters (SPEC §1).
        case text
        /// 1–`maxLength` of `[A-Za-z0-9_-]`.
        case identifier(maxLength: Int)
        /// Yuan ≥ 0 with at most two decimals.
        case money
        /// `YYYY-MM-DD`.
        case date
        /// A whole number ≥ 0.
        case count
        /// One of these words (any case).
        case choice([String])
    }

    public let name: String
    public let kind: Kind

    public init(_ name: String, _ kind: Kind) {
        self.name = name
        self.kind = kind
    }
}
