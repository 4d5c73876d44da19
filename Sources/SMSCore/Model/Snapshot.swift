/// One business day's export, validated and joined by msisdn.
public struct Snapshot: Sendable {
    /// Subscribers in file order.
    public var subscribers: [Subscriber]
    /// Subscriptions of each msisdn, in file order.
    public var subscriptions: [String: [Subscription]]
    /// Points rows of each msisdn, in file order.
    public var points: [String: [PointsRecord]]
    /// `uses` per msisdn, service code and month.
    public var usage: [UsageKey: Int]

    public struct UsageKey: Hashable, Sendable {
        public var msisdn: String
        public var serviceCode: String
        public var month: YearMonth
        public init(msisdn: String, serviceCode: String, month: YearMonth) {
            self.msisdn = msisdn
            self.serviceCode = serviceCode
            self.month = month
        }
    }

    public init(subscribers: [Subscriber] = [], subscriptions: [String: [Subscription]] = [:],
                points: [String: [PointsRecord]] = [:], usage: [UsageKey: Int] = [:]) {
        self.subscribers = subscribers
        self.subscriptions = subscriptions
        self.points = points
        self.usage = usage
    }

    /// True when `usage.csv` has a row for the service in `month` with `uses` > 0.
    public func wasUsed(msisdn: String, serviceCode: String, in month: YearMonth) -> Bool {
        (usage[UsageKey(msisdn: msisdn, serviceCode: serviceCode, month: month)] ?? 0) > 0
    }
}
