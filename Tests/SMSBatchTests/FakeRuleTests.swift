import Foundation
import SMSCore
import Testing

@testable import SMSBatch

/// A fifth rule that exists only in this test target — prepaid credit validity (话费有效期), the next notice the
/// operator's documents ask for — registered beside the product's four and run through the configuration, loader,
/// planner, lint and preview without a line changed outside its own declaration. It proves the registry.
struct CreditValidityRule: NoticeRule {
    struct Credit: Sendable {
        var balance: Money
        var validUntil: CalendarDate
    }

    static let kind = RuleKind(name: "credit-validity", order: 25)
    static let title = "话费有效期提醒"
    static let keyKind = "credit"
    static let schema = TemplateSchema(["balance": .text, "last_day": .text, "days_left": .text])
    static let credits = SnapshotTable<Credit>(
        file: "credits.csv", optional: true,
        columns: [TableColumn("msisdn", .msisdn), TableColumn("balance", .money), TableColumn("valid_until", .date)],
        key: ["valid_until"]
    ) { row in Credit(balance: row.money("balance"), validUntil: row.date("valid_until")) }
    static var table: (any SnapshotTableDescription)? { credits }
    static let stagesSetting = RuleSetting("credit_stages", .stages, default: [3], doc: "Days before credit lapses at which a reminder is due.")
    static var settings: [Setting<RuleConfiguration>] { [stagesSetting.declaration] }
    static var samples: [RuleSample] {
        [
            RuleSample("credit, one balance", items: 1) { m, d, b in
                b.add(Credit(balance: Money(fen: 99_999), validUntil: d.adding(days: 3)), to: credits, msisdn: m)
            }
        ]
    }

    static func lastUsefulDay(key: String, configuration: RuleConfiguration) -> CalendarDate? {
        ItemKey.stagedDeadline(key, fields: 4)
    }

    let asOf: CalendarDate
    let stages: [Int]

    init(asOf: CalendarDate, configuration: RuleConfiguration) {
        self.asOf = asOf
        stages = configuration[Self.stagesSetting]
    }

    func digest(for subscriber: Subscriber, at index: Int, in snapshot: Snapshot, history: some KeyHistory, detailed: Bool) -> Digest? {
        var due: [(Credit, Int)] = []
        var covered = 0
        for credit in snapshot.rows(Self.credits, at: index) {
            guard let stage = Stages.stage(daysLeft: asOf.days(until: credit.validUntil), stages: stages) else { continue }
            if history.containsStage(
                atMost: stage, prefix: ItemKey.staged(Self.keyKind, msisdn: subscriber.msisdn, date: credit.validUntil, stage: nil))
            {
                covered += 1
                continue
            }
            due.append((credit, stage))
        }
        guard let (first, _) = due.first else { return covered > 0 ? .covered(covered) : nil }
        let priority = (first.validUntil.dayNumber, 0, 0)
        guard detailed else { return Digest(items: due.count, priority: priority, coveredItems: covered) }
        return Digest(
            items: due.count, keys: due.map { ItemKey.staged(Self.keyKind, msisdn: subscriber.msisdn, date: $0.0.validUntil, stage: $0.1) },
            scope: [
                "balance": .text(TextFormat.money(first.balance)), "last_day": .text(TextFormat.day(first.validUntil, asOf: asOf)),
                "days_left": .text(String(asOf.days(until: first.validUntil))),
            ],
            priority: priority, coveredItems: covered)
    }
}

@Suite(.serialized) struct FakeRuleTests {
    static let registry = RuleRegistry.standard.adding(CreditValidityRule.self)

    /// A workspace with the product's templates and the fifth rule's, and a day with its file.
    func workspace() throws -> (Scratch, String) {
        let w = try Scratch()
        try w.write("templates/credit-validity.txt", "您的话费余额{{balance}}将于{{last_day}}失效，请在此前充值以延长有效期，详询{{hotline}}。\n")
        let day = w.file("day")
        try FileManager.default.copyItem(atPath: Scratch.fixture("day-2026-11-30"), toPath: day)
        try
            "msisdn,balance,valid_until\n13800138000,12.5,2026-12-02\n13900139000,3,2026-12-03\n13700137000,1,2026-12-02\n13800138001,oops,2026-12-02\n"
            .write(toFile: day + "/credits.csv", atomically: true, encoding: .utf8)
        return (w, day)
    }

    func configuration(_ w: Scratch) throws -> Configuration {
        var c = Configuration()
        c.registry = Self.registry
        c.templateDirectory = w.file("templates")
        c.maxBadRows = 5
        try w.write("config.json", #"{"credit_stages": [5, 3], "rules": ["trial-expiry", "credit-validity"]}"#)
        return try ConfigurationFile.load(w.file("config.json"), onto: c)
    }

    @Test func itsSettingIsReadShownAndCheckedLikeAnyOther() throws {
        let (w, _) = try workspace()
        defer { w.remove() }
        let c = try configuration(w)
        #expect(c.rules[CreditValidityRule.stagesSetting] == [5, 3])
        #expect(c.settings.contains { $0.key == "credit_stages" && $0.value == "[5, 3]" })
        #expect(Configuration.settingsTable(Self.registry).contains("| `credit_stages` | `[3]` |"))
        try w.write("bad.json", #"{"credit_stages": "soon"}"#)
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.load(w.file("bad.json"), onto: c) }
        // Unknown to the product's registry: the same key is no setting there.
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.load(w.file("config.json"), onto: Configuration()) }
    }

    @Test func itIsLoadedPlannedInItsOrderAndPreviewed() throws {
        let (w, day) = try workspace()
        defer { w.remove() }
        let c = try configuration(w)
        var plan = try DayPlanner(configuration: c).plan(
            directory: day, asOf: CalendarDate("2026-11-30")!, history: InMemoryKeyHistory(),
            log: Log(label: "test"))
        // Its file was read like the product's: a bad row named by file, line and column, an orphan counted.
        #expect(plan.report.badRows.map(\.description) == ["credits.csv:5: balance: is not an amount in yuan ≥ 0 with at most two decimals"])
        #expect(plan.report.orphans["credits.csv"] == 1)
        var messages: [RenderedMessage] = []
        try plan.forEachChunk { messages += $0 }
        // Only the two enabled rules, in the registry's order (trial 10 < credit 25).
        #expect(messages.map(\.rule.rawValue) == Array(repeating: "trial-expiry", count: 10) + ["credit-validity", "credit-validity"])
        let credit = messages.filter { $0.rule == CreditValidityRule.kind }
        #expect(credit.map(\.msisdn) == ["13800138000", "13900139000"])
        #expect(credit[0].keys == ["credit:13800138000:2026-12-02:3"])
        #expect(credit[0].text == "【中国移动】您的话费余额12.5元将于12月2日失效，请在此前充值以延长有效期，详询10086。")
        #expect(Self.registry.lastUsefulDay(of: credit[0].keys[0], configuration: c.rules) == CalendarDate("2026-12-02"))

        let report = try PreviewReport(plan: plan, configuration: c)
        #expect(report.byRule[CreditValidityRule.kind] == 2)
        #expect(report.byStage[CreditValidityRule.kind] == ["3天": 2])
        let page = PreviewPage.render(report)
        #expect(page.contains("话费有效期提醒") && page.contains("id=\"rule-credit-validity\""))
    }

    /// Through a real SQLite ledger: recorded, sent to a file, read back by `status`, and not sent twice; a ledger
    /// opened with the product's rules alone does not know it and says so.
    @Test func itIsRecordedSentAndReadBackFromALedger() throws {
        let (w, day) = try workspace()
        defer { w.remove() }
        var c = try configuration(w)
        c.ledger = w.file("ledger.sqlite")
        c.gateway = "file:" + w.file("out.jsonl")
        let job = try NightlyJob(configuration: c)
        let now = try job.now("2026-11-30T10:00:00+08:00")
        let (plan, sent) = try job.run(data: day, asOf: CalendarDate("2026-11-30")!, now: now)
        #expect(plan.count == 12 && sent.sent[CreditValidityRule.kind] == 2)
        let out = try String(contentsOfFile: w.file("out.jsonl"), encoding: .utf8)
        #expect(out.components(separatedBy: "\"rule\":\"credit-validity\"").count - 1 == 2)
        #expect(try job.status().counts[.sent]?[CreditValidityRule.kind] == 2)
        let (again, _) = try job.run(data: day, asOf: CalendarDate("2026-11-30")!, now: now)
        #expect(again.count == 0, "its keys are in the ledger: nothing twice")

        var standard = c
        standard.registry = .standard
        #expect(throws: BatchError.self) { try NightlyJob(configuration: standard).status() }
    }

    @Test func lintMeasuresItsTemplateWithItsSamples() throws {
        let (w, _) = try workspace()
        defer { w.remove() }
        var lint = TemplateLint(directory: w.file("templates"), configuration: try configuration(w))
        lint.showsSamples = true
        let findings = lint.run().filter { $0.file.hasSuffix("credit-validity.txt") }
        #expect(findings.contains { $0.message.hasPrefix("credit, one balance (") && $0.message.contains("999.99元") })
        #expect(findings.contains { $0.message.contains("no brand variant") })
        #expect(!findings.contains { $0.severity == .error })
        try FileManager.default.removeItem(atPath: w.file("templates/credit-validity.txt"))
        #expect(lint.run().contains { $0.file.hasSuffix("credit-validity.txt") && $0.severity == .error })
    }
}

/// The README's table of settings is the declarations' (`smsbatch config --markdown`), so a key added, renamed or
/// given another default cannot leave the documentation behind.
@Suite struct SettingsDocumentationTests {
    @Test func theReadmeTableIsTheDeclarations() throws {
        let readme = try String(contentsOfFile: Scratch.root + "/README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "| key | default | meaning |"))
        let end = try #require(readme.range(of: "<!-- /settings -->"))
        #expect(
            String(readme[start.lowerBound..<end.lowerBound]) == Configuration.settingsTable() + "\n",
            "regenerate with: smsbatch config --markdown")
    }

    @Test func everyDeclaredKeyIsReadShownAndUnique() throws {
        let declarations = Configuration.declarations()
        #expect(Set(declarations.map(\.key)).count == declarations.count)
        let shown = Configuration().settings
        #expect(shown.map(\.key) == declarations.map(\.key))
        #expect(ConfigurationFile.closest(to: "voucher_stage") == "voucher_stages")
    }
}

/// Texts from the configuration go into messages: they meet the data's rules (SPEC §1) and a length.
@Suite struct ConfiguredTextTests {
    @Test(arguments: [
        #"{"voucher_redeem_hints": {"广州": "a\u0000b"}}"#, #"{"voucher_redeem_hints": {"广州": "到\u202e营业厅"}}"#,
        #"{"voucher_redeem_hint": "请访问www.example.cn"}"#, #"{"points_redeem_hint": ""}"#,
        #"{"star_privileges": {"5": "【VIP】专享"}}"#, "{\"voucher_redeem_hint\": \"" + String(repeating: "营", count: 61) + "\"}",
    ])
    func aTextNoMessageMayCarryIsRefused(_ json: String) throws {
        let s = try Scratch()
        defer { s.remove() }
        try s.write("c.json", json)
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.load(s.file("c.json")) }
    }

    @Test func aFittingHintIsRead() throws {
        let s = try Scratch()
        defer { s.remove() }
        try s.write("c.json", #"{"voucher_redeem_hints": {"广州": "到广州各自有营业厅", "深圳/话费券": "到华强北营业厅"}}"#)
        let c = try ConfigurationFile.load(s.file("c.json"))
        #expect(c.rules[VoucherExpiryRule.hintsSetting] == ["广州": "到广州各自有营业厅", "深圳/话费券": "到华强北营业厅"])
    }
}
