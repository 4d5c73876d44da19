import Testing

@testable import SMSCore

@Suite struct StarLevelTests {
    @Test(arguments: [(0, 0), (1, 50), (2, 150), (3, 200), (4, 250), (5, 300), (12, 300), (-1, 0)])
    func tenure(_ years: Int, _ points: Int) {
        #expect(StarLevel.tenurePoints(years: years) == points)
    }

    @Test(arguments: [
        ("0", 0), ("20", 0), ("20.01", 20), ("50", 20), ("50.01", 50), ("80", 50), ("80.01", 100),
        ("120", 100), ("120.01", 150), ("200", 150), ("200.01", 200), ("400", 200), ("400.01", 250),
    ])
    func spend(_ amount: String, _ points: Int) {
        #expect(StarLevel.spendPoints(Money(amount)!) == points)
    }

    @Test(arguments: [(99, 0), (100, 1), (199, 1), (200, 2), (299, 2), (300, 3), (399, 3), (400, 4), (499, 4), (500, 5), (-50, 0)])
    func stars(_ score: Int, _ stars: Int) {
        #expect(StarLevel.stars(forScore: score) == stars)
    }

    @Test(arguments: [
        ("2020-02-29", "2021-02-28", 0), ("2020-02-29", "2021-03-01", 1), ("2020-02-29", "2024-02-29", 4),
        ("2020-02-29", "2024-02-28", 3), ("2025-11-30", "2026-11-30", 1), ("2025-12-01", "2026-11-30", 0),
        ("2026-12-01", "2026-11-30", -1),
    ])
    func completedYears(_ joined: String, _ on: String, _ years: Int) {
        #expect(StarLevel.completedYears(from: CalendarDate(joined)!, to: CalendarDate(on)!) == years)
    }

    @Test func scoreAddsBrandTenureSpendLessSuspensions() {
        let s = Subscriber(
            msisdn: "13800138000", brand: .gotone, status: .active, joinDate: CalendarDate("2018-03-15")!,
            avgMonthlySpend: Money("450")!, suspensions: 1, dnd: false)
        // 50 + 300 + 250 - 100
        #expect(StarLevel.score(of: s, on: CalendarDate("2026-11-30")!) == 500)
        #expect(StarLevel.stars(of: s, on: CalendarDate("2026-11-30")!) == 5)
        var e = s
        e.brand = .easyown
        e.suspensions = 3
        #expect(StarLevel.stars(of: e, on: CalendarDate("2026-11-30")!) == 2)  // 20+300+250-300 = 270
    }
}
