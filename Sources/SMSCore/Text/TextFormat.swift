/// How dates, money and points read in a message (SPEC §4).
public enum TextFormat {
    /// `M月D日`, with `YYYY年` in front when the year differs from the as-of date's.
    public static func date(_ date: CalendarDate, asOf: CalendarDate) -> String {
        let core = "\(date.month)月\(date.day)日"
        return date.year == asOf.year ? core : "\(date.year)年\(core)"
    }

    /// `今天` on the as-of date itself, else ``date(_:asOf:)`` (the last day of a notice reads 今天, SPEC §3.3).
    public static func day(_ date: CalendarDate, asOf: CalendarDate) -> String {
        date == asOf ? "今天" : self.date(date, asOf: asOf)
    }

    /// `M月`, with `YYYY年` in front when the year differs from the as-of date's.
    public static func month(_ month: YearMonth, asOf: CalendarDate) -> String {
        month.year == asOf.year ? "\(month.month)月" : "\(month.year)年\(month.month)月"
    }

    /// `5元`, `5.5元`, `12.25元`.
    public static func money(_ money: Money) -> String { money.yuanText + "元" }

    /// Plain digits.
    public static func points(_ points: Int) -> String { String(points) }

    /// `【signature】body`, or the body alone when the signature is empty.
    public static func signed(_ body: String, signature: String) -> String {
        signature.isEmpty ? body : "【\(signature)】" + body
    }
}
