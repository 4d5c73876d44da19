/// An amount in yuan, held exactly as whole fen (cents).
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The amount in fen (1/100 yuan).
    public let fen: Int

    public init(fen: Int) { self.fen = fen }

    /// Parses a non-negative yuan amount with at most two decimals (`5`, `5.5`, `12.25`).
    public init?(_ text: some StringProtocol) {
        var fen = 0
        var decimals = -1
        var digits = 0
        for b in text.utf8 {
            if b == UInt8(ascii: ".") {
                guard decimals < 0, digits > 0 else { return nil }
                decimals = 0
            } else if b >= 48, b <= 57 {
                if decimals >= 0 {
                    decimals += 1
                    guard decimals <= 2 else { return nil }
                } else {
                    digits += 1
                    guard digits <= 12 else { return nil }
                }
                fen = fen * 10 + Int(b - 48)
            } else {
                return nil
            }
        }
        guard digits > 0, decimals != 0 else { return nil }
        for _ in 0..<(2 - max(decimals, 0)) { fen *= 10 }
        self.fen = fen
    }

    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }
    public static let zero = Money(fen: 0)

    /// Yuan with trailing zeros dropped: `5`, `5.5`, `12.25`.
    public var yuanText: String {
        guard fen >= 0 else { return "-" + Money(fen: -fen).yuanText }
        let whole = fen / 100
        let cents = fen % 100
        if cents == 0 { return String(whole) }
        var text = String(whole)
        text.append(".")
        if cents % 10 == 0 { text.append(Character(Unicode.Scalar(UInt8(48 + cents / 10)))); return text }
        text.append(Character(Unicode.Scalar(UInt8(48 + cents / 10))))
        text.append(Character(Unicode.Scalar(UInt8(48 + cents % 10))))
        return text
    }

    public var description: String { yuanText }
}
