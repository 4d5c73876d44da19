import Testing
@testable import SMSCore

@Suite struct ItemKeyTests {
    /// The plain reading of a key's last useful day (split at colons), against which the byte-level one is checked.
    static func reference(_ key: String, graceDays: Int) -> CalendarDate? {
        let parts = key.split(separator: ":")
        switch parts.first {
        case "trial" where parts.count == 5: return CalendarDate(parts[3])
        case "points" where parts.count == 4: return CalendarDate(parts[2])
        case "summary" where parts.count == 3:
            guard let month = YearMonth(parts[2]),
                  let first = CalendarDate(year: month.year, month: month.month, day: 1) else { return nil }
            return first.adding(days: CalendarDate.daysIn(month: month.month, year: month.year) - 1 + graceDays)
        default: return nil
        }
    }

    @Test(arguments: [
        "trial:13800138000:CAIYIN:2026-11-28:7", "points:13800138000:2026-12-31:30", "summary:13800138000:2026-11",
        "summary:13800138000:2024-02", "summary:13800138000:2026-13", "summary:13800138000:2026-1",
        "trial:13800138000:CAIYIN:2026-02-30:7", "trial:13800138000:2026-11-28:7", "points:13800138000:2026-12-31",
        "trial::13800138000:CAIYIN:2026-11-28:7", "points:13800138000:2026-12-31:30:", "trial:1:2:3:4:5:6",
        "gift:13800138000:2026-11-28", "", ":", "summary", "points:x:20261231xx:1", "trial:1:A:2026-1x-28:1",
    ])
    func lastUsefulDayReadsKeysAsSplittingThemWould(key: String) {
        for grace in [0, 3] {
            #expect(ItemKey.lastUsefulDay(of: key, graceDays: grace) == Self.reference(key, graceDays: grace), "\(key)")
        }
    }

    @Test func lastUsefulDayOfEachKind() {
        #expect(ItemKey.lastUsefulDay(of: "trial:13800138000:CAIYIN:2026-11-28:7", graceDays: 3) == CalendarDate("2026-11-28"))
        #expect(ItemKey.lastUsefulDay(of: "points:13800138000:2026-12-31:30", graceDays: 3) == CalendarDate("2026-12-31"))
        #expect(ItemKey.lastUsefulDay(of: "summary:13800138000:2026-11", graceDays: 3) == CalendarDate("2026-12-03"))
        #expect(ItemKey.lastUsefulDay(of: "summary:13800138000:2024-02", graceDays: 0) == CalendarDate("2024-02-29"))
    }
}
