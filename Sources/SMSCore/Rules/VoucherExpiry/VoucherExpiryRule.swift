/// Voucher expiry (SPEC §3.5): a bonus voucher must be redeemed by a date, at a place the customer can find. The
/// notice names each voucher, its value, its last day and where to redeem it, shows no more than the code's tail, and
/// says so when the deadline was extended (延期).
public struct VoucherExpiryRule: NoticeRule {
    public static let kind = RuleKind(name: "voucher-expiry", order: 20)
    public static let title = "电子券到期提醒"
    public static let keyKind = "voucher"
    /// A voucher key with an earlier date for the same voucher means its deadline was extended.
    public static let notesMovedDeadlines = true

    public let asOf: CalendarDate
    public let stages: [Int]
    /// Where to redeem, when no more specific hint is configured.
    public let redeemHint: String
    /// Hints by `city/title`, title or city (``hintsSetting``).
    public let hints: [String: String]

    public init(
        asOf: CalendarDate, stages: [Int], redeemHint: String = VoucherExpiryRule.redeemHintSetting.defaultValue,
        hints: [String: String] = [:]
    ) {
        self.asOf = asOf
        self.stages = stages
        self.redeemHint = redeemHint
        self.hints = hints
    }

    public init(asOf: CalendarDate, configuration c: RuleConfiguration) {
        self.init(asOf: asOf, stages: c[Self.stagesSetting], redeemHint: c[Self.redeemHintSetting], hints: c[Self.hintsSetting])
    }

    /// What a template can say of one voucher.
    static let voucher = TemplateSchema(
        CommonFields.positionFields.merging([
            "title": .text, "value": .text, "last_day": .text, "days_left": .text, "today": .flag,
            "code_tail": .text, "has_code_tail": .flag, "extended": .flag, "hint": .text,
        ]) { a, _ in a })

    /// `redeem_hint` is the one hint of every voucher when they share it (`same_hint`); else each voucher has its own.
    public static let schema = TemplateSchema([
        "count": .text,
        "several": .flag,
        "total_value": .text,
        "first_last_day": .text,
        "urgent": .flag,
        "extended": .flag,
        "all_extended": .flag,
        "same_hint": .flag,
        "redeem_hint": .text,
        "vouchers": .list(voucher),
    ])

    public func digest(
        for subscriber: Subscriber, at index: Int, in snapshot: Snapshot, history: some KeyHistory,
        detailed: Bool
    ) -> Digest? {
        let rows = snapshot.rows(Self.vouchers, at: index)
        guard !rows.isEmpty else { return nil }
        var due: [(voucher: Voucher, daysLeft: Int, stage: Int)] = []
        var covered = 0
        for voucher in rows where voucher.status == .issued {
            let daysLeft = asOf.days(until: voucher.redeemBy)
            guard let stage = Stages.stage(daysLeft: daysLeft, stages: stages) else { continue }
            if !history.isEmpty,
                history.containsStage(
                    atMost: stage,
                    prefix: Self.key(
                        msisdn: subscriber.msisdn, voucherID: voucher.voucherID,
                        redeemBy: voucher.redeemBy, stage: nil))
            {
                covered += 1
                continue
            }
            due.append((voucher, daysLeft, stage))
        }
        guard !due.isEmpty else { return covered > 0 ? .covered(covered) : nil }
        let total = due.reduce(Money.zero) { $0 + $1.voucher.value }
        // The earliest last day first, then the higher total value (SPEC v2 §3.5); the planner breaks ties by msisdn.
        let priority = (due.map(\.voucher.redeemBy.dayNumber).min()!, -total.fen, 0)
        guard detailed else { return Digest(items: due.count, priority: priority, coveredItems: covered) }
        due.sort { ($0.voucher.redeemBy, $0.voucher.voucherID) < ($1.voucher.redeemBy, $1.voucher.voucherID) }
        var extendedCount = 0
        var hintsUsed: [String] = []
        // Every code the subscriber holds (any status), so no title carries one whole, its own or another's.
        let codes = rows.map(\.code)
        let vouchers: [TemplateScope] = due.map { voucher, daysLeft, _ in
            let group = Self.group(msisdn: subscriber.msisdn, voucherID: voucher.voucherID)
            let extended = !history.isEmpty && (history.earliestDeadline(group: group).map { $0 < voucher.redeemBy } ?? false)
            if extended { extendedCount += 1 }
            let tail = Self.codeTail(voucher.code)
            let hint = self.hint(for: voucher, city: subscriber.city)
            if !hintsUsed.contains(hint) { hintsUsed.append(hint) }
            return [
                "title": .text(codes.reduce(voucher.title) { Self.masking($1, in: $0) }),
                "value": .text(TextFormat.money(voucher.value)),
                "last_day": .text(TextFormat.day(voucher.redeemBy, asOf: asOf)),
                "days_left": .text(String(daysLeft)),
                "today": .flag(daysLeft == 0),
                "code_tail": .text(tail),
                "has_code_tail": .flag(!tail.isEmpty),
                "extended": .flag(extended),
                "hint": .text(hint),
            ]
        }
        let keys = due.map { Self.key(msisdn: subscriber.msisdn, voucherID: $0.voucher.voucherID, redeemBy: $0.voucher.redeemBy, stage: $0.stage) }
        let scope: TemplateScope = [
            "count": .text(String(due.count)),
            "several": .flag(due.count > 1),
            "total_value": .text(TextFormat.money(total)),
            "first_last_day": .text(TextFormat.day(due[0].voucher.redeemBy, asOf: asOf)),
            "urgent": .flag(priority.0 - asOf.dayNumber <= 1),
            "extended": .flag(extendedCount > 0),
            "all_extended": .flag(extendedCount == due.count),
            "same_hint": .flag(hintsUsed.count == 1),
            "redeem_hint": .text(hintsUsed.count == 1 ? hintsUsed[0] : redeemHint),
            "vouchers": .list(CommonFields.positioned(vouchers)),
        ]
        return Digest(items: due.count, keys: keys, scope: scope, priority: priority, coveredItems: covered)
    }

    /// Where to redeem `voucher` for a subscriber of `city`: the hint for the city and title, else the title's, else
    /// the city's, else the default.
    func hint(for voucher: Voucher, city: String?) -> String {
        if hints.isEmpty { return redeemHint }
        if let city, let h = hints[city + "/" + voucher.title] { return h }
        if let h = hints[voucher.title] { return h }
        if let city, let h = hints[city] { return h }
        return redeemHint
    }

    /// The end of a code a text may show: at most its last 4 characters, and never one of its first 4, so at least 4
    /// stay hidden (a code of 8 or more shows 4; of 6, 2; of 4 or fewer, none).
    public static func codeTail(_ code: String) -> String {
        let scalars = Array(code.unicodeScalars)
        var tail = String.UnicodeScalarView()
        tail.append(contentsOf: scalars.suffix(min(4, max(0, scalars.count - 4))))
        return String(tail)
    }

    /// `text` with each occurrence of `code` (ASCII letters in any case) replaced by `*`s: a title an export made from
    /// the code itself must not carry it whole to a handset.
    public static func masking(_ code: String, in text: String) -> String {
        func folded(_ s: Unicode.Scalar) -> UInt32 { s.value >= 0x41 && s.value <= 0x5A ? s.value | 0x20 : s.value }
        let c = code.unicodeScalars.map(folded)
        let t = Array(text.unicodeScalars)
        guard !c.isEmpty, t.count >= c.count else { return text }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < t.count {
            if i + c.count <= t.count, (0..<c.count).allSatisfy({ folded(t[i + $0]) == c[$0] }) {
                out.append(contentsOf: repeatElement("*", count: c.count))
                i += c.count
            } else {
                out.append(t[i])
                i += 1
            }
        }
        return String(out)
    }
}
