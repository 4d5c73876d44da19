import Testing

@testable import SMSCore

@Suite struct ItemKeyTests {
    func lastUsefulDay(_ key: String, grace: Int = 3) -> CalendarDate? {
        var c = RuleConfiguration()
        c.summaryGraceDays = grace
        return RuleRegistry.standard.lastUsefulDay(of: key, configuration: c)
    }

    @Test func lastUsefulDayOfEachKind() {
        #expect(lastUsefulDay("trial:13800138000:CAIYIN:2026-11-28:7") == CalendarDate("2026-11-28"))
        #expect(lastUsefulDay("voucher:13800138000:V-1_a:2026-12-05:1") == CalendarDate("2026-12-05"))
        #expect(lastUsefulDay("points:13800138000:2026-12-31:30") == CalendarDate("2026-12-31"))
        #expect(lastUsefulDay("summary:13800138000:2026-11") == CalendarDate("2026-12-03"))
        #expect(lastUsefulDay("summary:13800138000:2024-02", grace: 0) == CalendarDate("2024-02-29"))
    }

    @Test(arguments: [
        "summary:13800138000:2026-13", "summary:13800138000:2026-1", "trial:13800138000:CAIYIN:2026-02-30:7",
        "trial:13800138000:2026-11-28:7", "points:13800138000:2026-12-31", "points:13800138000:2026-12-31:30:",
        "trial:1:2:3:4:5:6", "gift:13800138000:2026-11-28", "", ":", "summary", "points:x:20261231xx:1", "trial:1:A:2026-1x-28:1",
        "voucher:13800138000:2026-12-05:1",
    ])
    func aKeyOfNoKnownShapeHasNoDay(key: String) {
        #expect(lastUsefulDay(key) == nil, "\(key)")
    }

    @Test func keysAreWrittenAsTheSpecSays() {
        let d = CalendarDate("2026-11-28")!
        #expect(TrialExpiryRule.key(msisdn: "13800138000", serviceCode: "CAIYIN", trialEnd: d, stage: 7) == "trial:13800138000:CAIYIN:2026-11-28:7")
        #expect(VoucherExpiryRule.key(msisdn: "13800138000", voucherID: "V1", redeemBy: d, stage: 1) == "voucher:13800138000:V1:2026-11-28:1")
        #expect(ItemKey.staged("points", msisdn: "13800138000", date: d, stage: 30) == "points:13800138000:2026-11-28:30")
        #expect(MonthEndSummaryRule.key(msisdn: "13800138000", month: YearMonth(year: 2026, month: 11)!) == "summary:13800138000:2026-11")
    }

    @Test func aStagedKeySplitsIntoPrefixStageAndDeadline() throws {
        let (prefix, stage) = try #require(ItemKey.splitStage("voucher:13800138000:V1:2026-11-28:7"))
        #expect(prefix == "voucher:13800138000:V1:2026-11-28:" && stage == 7)
        let (group, date) = try #require(ItemKey.splitDeadline(prefix))
        #expect(group == "voucher:13800138000:V1:" && date == CalendarDate("2026-11-28"))
        #expect(ItemKey.splitStage("summary:13800138000:2026-11") == nil)
    }
}
