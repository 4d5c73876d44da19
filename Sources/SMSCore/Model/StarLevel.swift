/// The customer star level (客户星级), SPEC §2.
public enum StarLevel {
    /// Completed years from `joined` to `date`; a 29 Feb joiner's anniversary in a common year is 1 March.
    public static func completedYears(from joined: CalendarDate, to date: CalendarDate) -> Int {
        var years = date.year - joined.year
        if (date.month, date.day) < (joined.month, joined.day) { years -= 1 }
        return years
    }

    public static func tenurePoints(years: Int) -> Int {
        switch years {
        case ..<1: 0
        case 1: 50
        case 2: 150
        case 3: 200
        case 4: 250
        default: 300
        }
    }

    public static func spendPoints(_ spend: Money) -> Int {
        switch spend.fen {
        case ...2_000: 0
        case ...5_000: 20
        case ...8_000: 50
        case ...12_000: 100
        case ...20_000: 150
        case ...40_000: 200
        default: 250
        }
    }

    /// brand + tenure + spend − 100 × suspensions.
    public static func score(of subscriber: Subscriber, on date: CalendarDate) -> Int {
        subscriber.brand.starPoints
            + tenurePoints(years: completedYears(from: subscriber.joinDate, to: date))
            + spendPoints(subscriber.avgMonthlySpend)
            - 100 * subscriber.suspensions
    }

    public static func stars(forScore score: Int) -> Int {
        switch score {
        case 500...: 5
        case 400...: 4
        case 300...: 3
        case 200...: 2
        case 100...: 1
        default: 0
        }
    }

    /// Stars 0…5 of a subscriber at `date`.
    public static func stars(of subscriber: Subscriber, on date: CalendarDate) -> Int {
        stars(forScore: score(of: subscriber, on: date))
    }
}
