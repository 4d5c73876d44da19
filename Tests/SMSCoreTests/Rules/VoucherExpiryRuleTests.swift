import Foundation
import Testing

@testable import SMSCore

/// SPEC v2 §3.5, read against the rule: stages, catch-up, the extension notice, the code never whole, priority.
@Suite struct VoucherExpiryRuleTests {
    static let m = "13800138000"

    /// The shipped templates, so that what a text says is checked, not only the values handed to it.
    static let renderer: Renderer = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../templates").standardized.path
        let files = try! FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.map {
            ($0, try! String(contentsOfFile: folder + "/" + $0, encoding: .utf8))
        }
        return Renderer(templates: try! TemplateSet(files: files), signature: "中国移动")
    }()

    func plan(_ w: World, _ asOf: String, history: [String] = [], configuration: RuleConfiguration = RuleConfiguration()) -> [PlannedMessage] {
        w.plan(asOf, history: history, configuration: configuration, only: .voucherExpiry)
    }

    @Test(
        arguments: [
            ("2026-11-22", nil), ("2026-11-23", 7), ("2026-11-28", 7), ("2026-11-29", 1), ("2026-11-30", 1),
            ("2026-12-01", nil),
        ] as [(String, Int?)])
    func dueAtEveryStageBoundary(_ asOf: String, _ stage: Int?) {
        var w = World()
        w.subscriber(Self.m)
        w.voucher(Self.m, "V1", by: "2026-11-30")
        #expect(plan(w, asOf).flatMap(\.keys) == (stage.map { ["voucher:\(Self.m):V1:2026-11-30:\($0)"] } ?? []))
    }

    @Test func aMissedNightIsCaughtUpWithTheMostUrgentStageOnly() {
        var w = World()
        w.subscriber(Self.m)
        w.voucher(Self.m, "V1", by: "2026-12-01")
        // Nothing was sent at d=7 (the run did not happen): on d=1 only stage 1 goes.
        #expect(plan(w, "2026-11-30").flatMap(\.keys) == ["voucher:\(Self.m):V1:2026-12-01:1"])
        // Stage 7 sent: at d=1 stage 1 is new; stage 1 sent: nothing more on the last day.
        #expect(plan(w, "2026-11-30", history: ["voucher:\(Self.m):V1:2026-12-01:7"]).flatMap(\.keys) == ["voucher:\(Self.m):V1:2026-12-01:1"])
        #expect(plan(w, "2026-12-01", history: ["voucher:\(Self.m):V1:2026-12-01:1"]).isEmpty)
        // A stage-1 key covers a later stage-7 one (a date the data moved back does not repeat a notice).
        #expect(plan(w, "2026-11-25", history: ["voucher:\(Self.m):V1:2026-12-01:1"]).isEmpty)
    }

    @Test(arguments: [Voucher.Status.redeemed, .void])
    func onlyIssuedVouchersAreNoticed(_ status: Voucher.Status) {
        var w = World()
        w.subscriber(Self.m)
        w.voucher(Self.m, "V1", by: "2026-12-01", status: status)
        #expect(plan(w, "2026-11-30").isEmpty)
    }

    @Test func dndAndInactiveSubscribersGetNone() {
        var w = World()
        w.subscriber("13800138001", dnd: true)
        w.subscriber("13800138002", status: .suspended)
        w.voucher("13800138001", "V1", by: "2026-12-01")
        w.voucher("13800138002", "V1", by: "2026-12-01")
        #expect(plan(w, "2026-11-30").isEmpty)
    }

    @Test func anEarlierDeadlineInTheLedgerMeansTheVoucherWasExtended() throws {
        var w = World()
        w.subscriber(Self.m, brand: .gotone)
        w.voucher(Self.m, "V1", by: "2026-12-07")
        let extended = try #require(plan(w, "2026-11-30", history: ["voucher:\(Self.m):V1:2026-11-30:7"]).first)
        #expect(extended.keys == ["voucher:\(Self.m):V1:2026-12-07:7"])
        #expect(extended.scope["extended"] == .flag(true))
        let text = try Self.renderer.render(extended).text
        #expect(text.contains("延期") && text.contains("12月7日"), "\(text)")
        // A later deadline in the ledger (the date moved earlier), another voucher's, or none: no extension.
        for history in [["voucher:\(Self.m):V1:2026-12-09:7"], ["voucher:\(Self.m):V2:2026-11-30:7"], []] {
            let m = try #require(plan(w, "2026-11-30", history: history).first)
            #expect(m.scope["extended"] == .flag(false))
            #expect(!(try Self.renderer.render(m).text.contains("延期")))
        }
    }

    @Test(arguments: ["", "A", "AB", "ABC", "ABCD", "ABCDE", "ABCDEF", "ABCDEFG", "ABCDEFGH", "8F3KQ2M7X9ABCDEF", "券码一二三四五六七八"])
    func theCodeIsNeverShownWhole(_ code: String) {
        let tail = VoucherExpiryRule.codeTail(code)
        let (shown, length) = (tail.unicodeScalars.count, code.unicodeScalars.count)
        #expect(shown <= 4 && code.hasSuffix(tail))
        #expect(length - shown >= min(length, 4), "at least 4 characters stay hidden")
        if length >= 8 { #expect(shown == 4) }
    }

    @Test(arguments: Brand.allCases)
    func noTextCarriesAWholeCode(_ brand: Brand) throws {
        var w = World()
        w.subscriber(Self.m, brand: brand)
        w.voucher(Self.m, "V1", by: "2026-12-01", code: "7XK2P9QZ")
        w.voucher(Self.m, "V2", by: "2026-12-05", value: "10", code: "ZK2P9Q")
        w.voucher(Self.m, "V3", by: "2026-11-30", value: "5", code: "Q")
        let m = try #require(plan(w, "2026-11-30").first)
        let text = try Self.renderer.render(m).text
        for (code, tail) in [("7XK2P9QZ", "P9QZ"), ("ZK2P9Q", "9Q")] {
            #expect(!text.contains(code) && text.contains(tail), "\(text)")
        }
        #expect(text.contains("今天") && text.contains("12月1日") && text.contains("12月5日"), "\(text)")
        #expect(text.contains("50元") && text.contains("10元") && text.contains("5元"))
        #expect(m.keys.count == 3)
    }

    @Test func aTitleThatCarriesItsOwnCodeShowsItMasked() throws {
        var w = World()
        w.subscriber(Self.m, brand: .mzone)
        w.voucher(Self.m, "V1", by: "2026-12-01", title: "券码abcd1234", code: "ABCD1234")
        let m = try #require(plan(w, "2026-11-30").first)
        let text = try Self.renderer.render(m).text
        #expect(!text.lowercased().contains("abcd1234") && text.contains("券码********") && text.contains("1234"), "\(text)")
    }

    /// Found by a reviewer: a title naming another voucher's code (due or redeemed) sent that code whole.
    @Test func noTitleCarriesAnyOfTheSubscribersCodes() throws {
        var w = World()
        w.subscriber(Self.m)
        w.voucher(Self.m, "V1", by: "2026-12-01", code: "QX7M2K9P")
        w.voucher(Self.m, "V2", by: "2026-12-01", title: "QX7M2K9P专享券", code: "ZZ88888888")
        w.voucher(Self.m, "V3", by: "2026-12-01", code: "RD5T6Y7U", status: .redeemed)
        w.voucher(Self.m, "V4", by: "2026-12-02", title: "rd5t6y7u券", code: "AA11223344")
        let text = try Self.renderer.render(try #require(plan(w, "2026-11-30").first)).text
        for code in ["QX7M2K9P", "ZZ88888888", "RD5T6Y7U", "AA11223344"] {
            #expect(!text.uppercased().contains(code), "\(code) in \(text)")
        }
    }

    @Test func anExtensionToTheLastDayItselfSaysTodayOnce() throws {
        var w = World()
        for (m, brand) in [("13800138001", Brand.gotone), ("13800138002", .mzone), ("13800138003", .easyown)] {
            w.subscriber(m, brand: brand)
            w.voucher(m, "V1", by: "2026-11-30")
        }
        let history = ["13800138001", "13800138002", "13800138003"].map { "voucher:\($0):V1:2026-11-29:1" }
        for m in plan(w, "2026-11-30", history: history) {
            let text = try Self.renderer.render(m).text
            #expect(text.contains("延期") && text.contains("今天") && !text.contains("延期至今天") && !text.contains("延期到今天"), "\(text)")
        }
    }

    @Test func messagesGoByEarliestDeadlineThenHigherTotalValueThenNumber() {
        var w = World()
        for m in ["13800138001", "13800138002", "13800138003", "13800138004"] { w.subscriber(m) }
        w.voucher("13800138001", "A", by: "2026-12-05", value: "100")
        w.voucher("13800138002", "A", by: "2026-12-01", value: "5")
        w.voucher("13800138003", "A", by: "2026-12-01", value: "5")
        w.voucher("13800138003", "B", by: "2026-12-07", value: "1")
        w.voucher("13800138004", "A", by: "2026-12-01", value: "5")
        #expect(plan(w, "2026-11-30").map(\.msisdn) == ["13800138003", "13800138002", "13800138004", "13800138001"])
    }

    @Test func theRedemptionHintFollowsCityAndTitle() {
        var c = RuleConfiguration()
        c[VoucherExpiryRule.hintsSetting] = ["广州": "到广州自有营业厅", "流量券": "在App“卡券”领取", "深圳/话费券": "到深圳华强北营业厅"]
        var w = World()
        w.subscriber("13800138001", city: "广州")
        w.subscriber("13800138002", city: "深圳")
        w.subscriber("13800138003")
        w.voucher("13800138001", "A", by: "2026-12-01")
        w.voucher("13800138002", "A", by: "2026-12-01")
        w.voucher("13800138003", "A", by: "2026-12-01", title: "流量券")
        let hints = plan(w, "2026-11-30", configuration: c).map { $0.scope["redeem_hint"] }
        #expect(hints == [.text("到广州自有营业厅"), .text("到深圳华强北营业厅"), .text("在App“卡券”领取")])
    }

    @Test func lastUsefulDayIsTheRedeemByDate() {
        #expect(
            RuleRegistry.standard.lastUsefulDay(of: "voucher:\(Self.m):V1:2026-12-01:7", configuration: RuleConfiguration())
                == CalendarDate("2026-12-01"))
    }
}
