/// One row of `subscribers.csv`.
public struct Subscriber: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable { case active, suspended, closed }

    public var msisdn: String
    public var brand: Brand
    public var status: Status
    public var joinDate: CalendarDate
    public var avgMonthlySpend: Money
    public var suspensions: Int
    public var dnd: Bool
    public var city: String?

    public init(
        msisdn: String, brand: Brand, status: Status, joinDate: CalendarDate,
        avgMonthlySpend: Money, suspensions: Int, dnd: Bool, city: String? = nil
    ) {
        self.msisdn = msisdn
        self.brand = brand
        self.status = status
        self.joinDate = joinDate
        self.avgMonthlySpend = avgMonthlySpend
        self.suspensions = suspensions
        self.dnd = dnd
        self.city = city
    }
}
