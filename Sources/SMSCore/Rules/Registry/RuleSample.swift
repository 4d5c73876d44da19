/// A made-up subscriber's data for lint: what it is (`label`), how many items it makes due, and the rows that make
/// them due on the given day.
public struct RuleSample: Sendable {
    /// Adds a sample subscriber's rows (its number, the day planned) to a snapshot.
    public typealias Rows = @Sendable (_ msisdn: String, _ asOf: CalendarDate, _ builder: inout SnapshotBuilder) -> Void

    public let label: String
    public let items: Int
    public let rows: Rows
    /// Keys the ledger is to hold already for the sample (e.g. an earlier deadline of a voucher that was extended).
    public let recorded: @Sendable (_ msisdn: String, _ asOf: CalendarDate) -> [String]

    public init(
        _ label: String, items: Int, recorded: @escaping @Sendable (_ msisdn: String, _ asOf: CalendarDate) -> [String] = { _, _ in [] },
        rows: @escaping Rows
    ) {
        self.label = label
        self.items = items
        self.recorded = recorded
        self.rows = rows
    }

    /// A sample made of several parts, one item each.
    public init(_ label: String, _ parts: [Rows]) {
        self.init(label, items: parts.count) { m, d, b in for part in parts { part(m, d, &b) } }
    }

    /// Six-character names, the longest of the operator's catalogue (samples use them for services and vouchers).
    public static let longNames = ["咪咕视频会员", "积分商城会员", "新闻早晚报刊", "彩信天气预报", "和教育同步课", "咪咕音乐白金", "手机报早晚版", "和健康问诊包"]
}
