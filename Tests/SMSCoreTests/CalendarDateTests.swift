import Testing

@testable import SMSCore

@Suite struct CalendarDateTests {
    @Test(arguments: ["2026-11-30", "2024-02-29", "2000-02-29", "1970-01-01", "2099-12-31"])
    func parsesRealDates(_ text: String) throws {
        let d = try #require(CalendarDate(text))
        #expect(d.description == text)
        #expect(CalendarDate(dayNumber: d.dayNumber) == d)
    }

    @Test(arguments: ["2026-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-11-31", "2026-1-05", "26-11-30", "2026/11/30", "", "2026-11-30 "])
    func rejectsOthers(_ text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func dayNumbersCount() throws {
        #expect(CalendarDate("1970-01-01")!.dayNumber == 0)
        #expect(CalendarDate("2026-11-30")!.days(until: CalendarDate("2026-12-07")!) == 7)
        #expect(CalendarDate("2026-12-31")!.adding(days: 1) == CalendarDate("2027-01-01"))
        #expect(CalendarDate("2024-02-28")!.adding(days: 1) == CalendarDate("2024-02-29"))
        #expect(CalendarDate("2026-03-01")!.adding(days: -1) == CalendarDate("2026-02-28"))
    }

    @Test(arguments: [
        ("2026-02-28", true), ("2024-02-28", false), ("2024-02-29", true), ("2026-04-30", true),
        ("2026-12-31", true), ("2026-12-30", false), ("2026-11-30", true), ("2026-01-31", true),
    ])
    func lastDayOfMonth(_ text: String, _ expected: Bool) {
        #expect(CalendarDate(text)!.isLastDayOfMonth == expected)
    }

    @Test func months() {
        #expect(YearMonth("2026-11")?.description == "2026-11")
        #expect(YearMonth("2027-01")?.previous == YearMonth("2026-12"))
        #expect(YearMonth("2026-13") == nil)
        #expect(YearMonth("2026-1") == nil)
    }
}

@Suite struct MoneyAndNumberTests {
    @Test(arguments: [
        ("5", 500, "5"), ("5.5", 550, "5.5"), ("5.50", 550, "5.5"), ("12.25", 1225, "12.25"),
        ("0", 0, "0"), ("0.05", 5, "0.05"), ("9.9", 990, "9.9"), ("100.00", 10000, "100"),
    ])
    func parsesAndFormats(_ text: String, _ fen: Int, _ formatted: String) throws {
        let m = try #require(Money(text))
        #expect(m.fen == fen)
        #expect(m.yuanText == formatted)
        #expect(TextFormat.money(m) == formatted + "元")
    }

    @Test(arguments: ["-1", "5.", ".5", "5.123", "1,000", "abc", "", "5 元", "1e3"])
    func rejectsBadAmounts(_ text: String) {
        #expect(Money(text) == nil)
    }

    @Test(arguments: [
        ("13800138000", "13800138000"), ("+8613800138000", "13800138000"), ("8613800138000", "13800138000"),
        ("19912345678", "19912345678"),
    ])
    func normalizesNumbers(_ text: String, _ expected: String) {
        #expect(Msisdn.normalize(text) == expected)
    }

    @Test(arguments: ["12800138000", "1380013800", "138001380001", "+8612800138000", "0086138001380", "1380013800a", "+85213800138000"])
    func rejectsNumbers(_ text: String) {
        #expect(Msisdn.normalize(text) == nil)
    }

    @Test func masks() {
        #expect(Msisdn.mask("13800138000") == "138****8000")
        #expect(!Msisdn.mask("12345").contains("12345"))
    }
}
