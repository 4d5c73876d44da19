import Testing

@testable import SMSCore

/// Builds small snapshots for rule tests.
struct World {
    var subscribers: [Subscriber] = []
    var subscriptions: [Subscription] = []
    var pointsRows: [PointsRecord] = []
    var usage: [(String, String, YearMonth, Int)] = []
    var vouchers: [(String, Voucher)] = []

    mutating func subscriber(
        _ msisdn: String, brand: Brand = .easyown, status: Subscriber.Status = .active,
        spend: String = "50", dnd: Bool = false, joined: String = "2020-01-01", city: String? = nil
    ) {
        subscribers.append(
            Subscriber(
                msisdn: msisdn, brand: brand, status: status, joinDate: CalendarDate(joined)!,
                avgMonthlySpend: Money(spend)!, suspensions: 0, dnd: dnd, city: city))
    }

    mutating func voucher(
        _ msisdn: String, _ id: String, by date: String, value: String = "50", title: String = "话费券",
        code: String = "8F3KQ2M7X9AB", status: Voucher.Status = .issued
    ) {
        vouchers.append(
            (
                msisdn,
                Voucher(
                    voucherID: id, title: title, value: Money(value)!, code: code,
                    redeemBy: CalendarDate(date)!, status: status)
            ))
    }

    mutating func service(
        _ msisdn: String, _ code: String, fee: String = "5", trialEnd: String? = nil,
        after: Subscription.AfterTrial? = nil, status: Subscription.Status = .active
    ) {
        subscriptions.append(
            Subscription(
                msisdn: msisdn, serviceCode: code, serviceName: code + "业务", monthlyFee: Money(fee)!, status: status,
                trialEnd: trialEnd.flatMap { CalendarDate($0) }, afterTrial: after ?? (trialEnd == nil ? nil : .renew)))
    }

    mutating func points(_ msisdn: String, expiring: Int, on date: String, balance: Int = 10_000) {
        pointsRows.append(PointsRecord(msisdn: msisdn, balance: balance, expiring: expiring, clearingDate: CalendarDate(date)!))
    }

    mutating func used(_ msisdn: String, _ code: String, _ month: String, uses: Int) {
        usage.append((msisdn, code, YearMonth(month)!, uses))
    }

    var snapshot: Snapshot {
        var b = SnapshotBuilder()
        for s in subscribers { b.add(s) }
        for s in subscriptions { b.add(s) }
        for p in pointsRows { b.add(p) }
        for (m, c, month, uses) in usage { b.addUsage(msisdn: m, serviceCode: c, month: month, uses: uses) }
        for (m, v) in vouchers { b.add(v, to: VoucherExpiryRule.vouchers, msisdn: m) }
        return b.build()
    }

    func plan(
        _ asOf: String, history: [String] = [], configuration: RuleConfiguration = RuleConfiguration(),
        only rule: RuleKind? = nil
    ) -> [PlannedMessage] {
        var c = configuration
        if let rule { c.enabledRules = [rule] }
        return Planner(asOf: CalendarDate(asOf)!, configuration: c)
            .messages(snapshot, history: InMemoryKeyHistory(keys: history)).messages
    }
}

@Suite struct StageTests {
    @Test(arguments: [(8, nil), (7, 7), (6, 7), (2, 7), (1, 1), (0, 1), (-1, nil)] as [(Int, Int?)])
    func trialStages(_ daysLeft: Int, _ stage: Int?) {
        #expect(Stages.stage(daysLeft: daysLeft, stages: [7, 1]) == stage)
    }

    @Test(arguments: [(31, nil), (30, 30), (8, 30), (7, 7), (2, 7), (1, 1), (0, 1), (-1, nil)] as [(Int, Int?)])
    func pointsStages(_ daysLeft: Int, _ stage: Int?) {
        #expect(Stages.stage(daysLeft: daysLeft, stages: [30, 7, 1]) == stage)
    }
}

@Suite struct TrialExpiryRuleTests {
    /// SPEC v2 §3.1: a trial whose end changes nothing (a free service that renews) is no notice; a free one that
    /// lapses, or a paid one that renews, is.
    @Test(arguments: [("0", Subscription.AfterTrial.renew, false), ("0", .lapse, true), ("5", .renew, true), ("0.01", .renew, true)])
    func onlyATrialWhoseEndChangesSomethingIsANotice(_ fee: String, _ after: Subscription.AfterTrial, _ noticed: Bool) {
        var w = World()
        w.subscriber("13800138000")
        w.service("13800138000", "A", fee: fee, trialEnd: "2026-12-07", after: after)
        #expect(w.plan("2026-11-30").contains { $0.rule == .trialExpiry } == noticed)
    }

    @Test(arguments: [("2026-11-22", nil), ("2026-11-23", 7), ("2026-11-29", 1), ("2026-11-30", 1), ("2026-12-01", nil)] as [(String, Int?)])
    func dueAroundTheLastFreeDay(_ asOf: String, _ stage: Int?) {
        var w = World()
        w.subscriber("13800138000")
        w.service("13800138000", "CAIYIN", trialEnd: "2026-11-30")
        let keys = w.plan(asOf, only: .trialExpiry).flatMap(\.keys)
        #expect(keys == (stage.map { ["trial:13800138000:CAIYIN:2026-11-30:\($0)"] } ?? []))
    }

    @Test func ledgerCoversTheSameOrAMoreUrgentStage() {
        var w = World()
        w.subscriber("13800138000")
        w.service("13800138000", "CAIYIN", trialEnd: "2026-11-30")
        let seven = "trial:13800138000:CAIYIN:2026-11-30:7"
        #expect(w.plan("2026-11-25", history: [seven], only: .trialExpiry).isEmpty)
        #expect(w.plan("2026-11-29", history: [seven], only: .trialExpiry).flatMap(\.keys) == ["trial:13800138000:CAIYIN:2026-11-30:1"])
        #expect(w.plan("2026-11-29", history: ["trial:13800138000:CAIYIN:2026-11-30:1"], only: .trialExpiry).isEmpty)
        // Another trial end of the same service is another notice.
        #expect(w.plan("2026-11-25", history: ["trial:13800138000:CAIYIN:2026-10-30:1"], only: .trialExpiry).count == 1)
    }

    @Test func missedNightsCatchUpWithTheMostUrgentStageOnly() {
        var w = World()
        w.subscriber("13800138000")
        w.service("13800138000", "CAIYIN", trialEnd: "2026-11-30")
        #expect(w.plan("2026-11-30", only: .trialExpiry).flatMap(\.keys) == ["trial:13800138000:CAIYIN:2026-11-30:1"])
    }

    @Test func digestMergesServicesAndIgnoresDnd() throws {
        var w = World()
        w.subscriber("13800138000", dnd: true)
        w.service("13800138000", "B", trialEnd: "2026-12-07")
        w.service("13800138000", "A", trialEnd: "2026-12-01", after: .lapse)
        w.service("13800138000", "C", trialEnd: "2026-12-07", status: .cancelled)
        let messages = w.plan("2026-11-30", only: .trialExpiry)
        let m = try #require(messages.first)
        #expect(messages.count == 1)
        #expect(m.keys == ["trial:13800138000:A:2026-12-01:1", "trial:13800138000:B:2026-12-07:7"])
        guard case let .list(services)? = m.scope["services"] else { Issue.record("no services"); return }
        #expect(services.map { $0["code"] } == [.text("A"), .text("B")])
        #expect(services[0]["lapse"] == .flag(true))
        #expect(services[1]["charge_from"] == .text("12月8日"))
    }

    @Test func orderIsEarliestTrialEndThenMsisdn() {
        var w = World()
        for m in ["13900000002", "13900000001", "13900000003"] { w.subscriber(m) }
        w.service("13900000001", "X", trialEnd: "2026-12-05")
        w.service("13900000002", "X", trialEnd: "2026-12-01")
        w.service("13900000003", "X", trialEnd: "2026-12-05")
        #expect(w.plan("2026-11-30", only: .trialExpiry).map(\.msisdn) == ["13900000002", "13900000001", "13900000003"])
    }
}

@Suite struct MonthEndSummaryRuleTests {
    @Test(
        arguments: [
            ("2026-02-28", "2026-02"), ("2024-02-29", "2024-02"), ("2024-02-28", nil), ("2026-04-30", "2026-04"),
            ("2026-04-29", nil), ("2026-01-31", "2026-01"), ("2027-01-01", "2026-12"), ("2027-01-03", "2026-12"),
            ("2027-01-04", nil), ("2026-12-31", "2026-12"), ("2026-03-02", "2026-02"),
        ] as [(String, String?)])
    func dueMonth(_ asOf: String, _ month: String?) {
        #expect(MonthEndSummaryRule.dueMonth(asOf: CalendarDate(asOf)!, graceDays: 3) == month.flatMap { YearMonth($0) })
    }

    @Test func listsAtMostFiveByFeeThenCodeAndTotalsThePaidOnes() throws {
        var w = World()
        w.subscriber("13800138000")
        w.service("13800138000", "B", fee: "10")
        w.service("13800138000", "A", fee: "10")
        w.service("13800138000", "C", fee: "2.5")
        w.service("13800138000", "D", fee: "20", trialEnd: "2026-12-05")
        w.service("13800138000", "E", fee: "1")
        w.service("13800138000", "F", fee: "0.5")
        w.service("13800138000", "G", fee: "3", status: .cancelled)
        w.used("13800138000", "A", "2026-11", uses: 3)
        w.used("13800138000", "B", "2026-11", uses: 0)
        var five = RuleConfiguration()
        five.summaryMaxNamed = 5
        five.summaryPassiveServices = []
        let m = try #require(w.plan("2026-11-30", configuration: five, only: .monthEndSummary).first)
        #expect(m.keys == ["summary:13800138000:2026-11"])
        guard case let .list(services)? = m.scope["services"] else { Issue.record("no services"); return }
        #expect(services.map { $0["code"] } == ["D", "A", "B", "C", "E"].map { .text($0) })
        #expect(services[0]["trial"] == .flag(true))
        #expect(services[1]["unused"] == .flag(false))
        #expect(services[2]["unused"] == .flag(true))
        #expect(m.scope["paid_total"] == .text("24元"))
        #expect(m.scope["more"] == .flag(true))
        #expect(m.scope["more_count"] == .text("1"))
        #expect(m.scope["count"] == .text("6"))
    }

    @Test func catchUpInGraceDaysOnceOnly() {
        var w = World()
        w.subscriber("13800138000")
        w.service("13800138000", "A")
        #expect(w.plan("2027-01-02").flatMap(\.keys) == ["summary:13800138000:2026-12"])
        #expect(w.plan("2027-01-02", history: ["summary:13800138000:2026-12"]).isEmpty)
        #expect(w.plan("2027-01-04").isEmpty)
    }

    @Test func respectsDndAndStatus() {
        var w = World()
        w.subscriber("13800138000", dnd: true)
        w.subscriber("13800138001", status: .suspended)
        w.subscriber("13800138002")
        for m in ["13800138000", "13800138001", "13800138002"] { w.service(m, "A") }
        #expect(w.plan("2026-11-30").map(\.msisdn) == ["13800138002"])
    }
}

@Suite struct PointsClearingRuleTests {
    /// SPEC v2 §3.3: the most urgent stage first, then more points, then higher spend, then msisdn.
    @Test func orderByUrgencyThenPointsThenSpendThenMsisdnAndDigest() {
        var w = World()
        w.subscriber("13900000001", spend: "10")
        w.subscriber("13900000002", spend: "90")
        w.subscriber("13900000003", spend: "90")
        w.subscriber("13900000004", spend: "1")
        w.points("13900000001", expiring: 500, on: "2026-12-07")
        w.points("13900000002", expiring: 500, on: "2026-12-30")
        w.points("13900000003", expiring: 500, on: "2026-12-01")
        w.points("13900000004", expiring: 300, on: "2026-12-01")
        w.points("13900000004", expiring: 300, on: "2026-12-20")
        w.points("13900000004", expiring: 900, on: "2026-12-31")  // d = 31: not due
        let plan = w.plan("2026-11-30")
        #expect(plan.map(\.msisdn) == ["13900000004", "13900000003", "13900000001", "13900000002"])
        #expect(plan[0].keys == ["points:13900000004:2026-12-01:1", "points:13900000004:2026-12-20:30"])
        #expect(plan[0].scope["total_points"] == .text("600"))
    }

    @Test func minimumAndStages() {
        var w = World()
        w.subscriber("13900000001")
        w.points("13900000001", expiring: 0, on: "2026-12-07")
        #expect(w.plan("2026-11-30").isEmpty)
        w.points("13900000001", expiring: 5, on: "2026-12-08")
        var c = RuleConfiguration()
        c.minExpiringPoints = 10
        #expect(w.plan("2026-11-30", configuration: c).isEmpty)
        #expect(w.plan("2026-11-30").flatMap(\.keys) == ["points:13900000001:2026-12-08:30"])
        #expect(w.plan("2026-12-02", history: ["points:13900000001:2026-12-08:30"]).flatMap(\.keys) == ["points:13900000001:2026-12-08:7"])
    }

    @Test func rulesComeInSendOrder() {
        var w = World()
        w.subscriber("13900000001")
        w.service("13900000001", "A", trialEnd: "2026-12-01")
        w.points("13900000001", expiring: 5, on: "2026-12-08")
        #expect(w.plan("2026-11-30").map(\.rule) == [.trialExpiry, .pointsClearing, .monthEndSummary])
    }
}

@Suite struct ReviewerFactsTests {
    /// A passive service (a ring-back tone) is never marked unused; others are, with the month named.
    @Test func passiveServicesAreNotMarkedUnused() throws {
        var w = World()
        w.subscriber("13800138000")
        w.service("13800138000", "CAIYIN", fee: "5")
        w.service("13800138000", "YUEDU", fee: "10")
        var c = RuleConfiguration()
        c.summaryPassiveServices = ["CAIYIN"]
        let m = try #require(w.plan("2026-11-30", configuration: c, only: .monthEndSummary).first)
        guard case let .list(services)? = m.scope["services"] else { Issue.record("no services"); return }
        #expect(services.map { $0["unused"] } == [.flag(true), .flag(false)], "YUEDU (10元) first, then CAIYIN")
    }

    /// 今天 on the last free day and on the clearing day (SPEC §3.3).
    @Test func theLastDayReadsToday() throws {
        var w = World()
        w.subscriber("13800138000")
        w.service("13800138000", "A", fee: "5", trialEnd: "2026-11-30", after: .renew)
        w.points("13800138000", expiring: 100, on: "2026-11-30")
        let plan = w.plan("2026-11-30")
        let trial = try #require(plan.first { $0.rule == .trialExpiry })
        guard case let .list(renewing)? = trial.scope["renewing"] else { Issue.record("no renewing"); return }
        #expect(renewing.first?["last_free_day"] == .text("今天"))
        let points = try #require(plan.first { $0.rule == .pointsClearing })
        #expect(points.scope["first_date"] == .text("今天") && points.scope["urgent"] == .flag(true))
    }

    /// A configured privilege is named for its star level only.
    @Test func aPrivilegeIsNamedOnlyWhenConfigured() throws {
        var w = World()
        w.subscriber("13800138000")
        w.points("13800138000", expiring: 100, on: "2026-12-07")
        let none = try #require(w.plan("2026-11-30").first)
        #expect(none.scope["has_privilege"] == .flag(false))
        var c = RuleConfiguration()
        c.starPrivileges = [none.stars: "机场贵宾厅服务"]
        let named = try #require(w.plan("2026-11-30", configuration: c).first)
        #expect(named.scope["has_privilege"] == .flag(true) && named.scope["privilege"] == .text("机场贵宾厅服务"))
    }
}
