/// What the voucher-expiry rule declares besides its digest: its file, settings, keys, samples.
extension VoucherExpiryRule {
    /// `vouchers.csv` (optional): `msisdn, voucher_id, title, value, code, redeem_by, status`, one row per voucher.
    public static let vouchers = SnapshotTable<Voucher>(
        file: "vouchers.csv", optional: true,
        columns: [
            TableColumn("msisdn", .msisdn), TableColumn("voucher_id", .identifier(maxLength: 32)), TableColumn("title", .text),
            TableColumn("value", .money), TableColumn("code", .text), TableColumn("redeem_by", .date),
            TableColumn("status", .choice(Voucher.Status.allCases.map(\.rawValue))),
        ],
        key: ["voucher_id"], secret: ["code"]
    ) { row in
        Voucher(
            voucherID: row.text("voucher_id"), title: row.text("title"), value: row.money("value"), code: row.text("code"),
            redeemBy: row.date("redeem_by"), status: Voucher.Status(rawValue: row.text("status").lowercased()) ?? .void)
    }

    public static var table: (any SnapshotTableDescription)? { vouchers }

    public static let stagesSetting = RuleSetting(
        "voucher_stages", .stages, default: [7, 1],
        doc: "Days before a voucher's last day at which a reminder is due (SPEC §3.5).")
    public static let redeemHintSetting = RuleSetting(
        "voucher_redeem_hint", .messageText, default: "可到营业厅或中国移动App“卡券”使用",
        doc: "Where or how to redeem a voucher, when no hint below fits.")
    public static let hintsSetting = RuleSetting(
        "voucher_redeem_hints", .messageTexts, default: [:],
        doc: "Where to redeem, by `city/title`, title or city (the `city` column), most specific first, e.g. `{\"广州\": \"到广州各自有营业厅\"}`.")

    public static var settings: [Setting<RuleConfiguration>] {
        [stagesSetting.declaration, redeemHintSetting.declaration, hintsSetting.declaration]
    }

    /// `voucher:{msisdn}:{voucher_id}:{R}:{stage}`, or the prefix alone without a stage.
    public static func key(msisdn: String, voucherID: String, redeemBy: CalendarDate, stage: Int?) -> String {
        ItemKey.staged(keyKind, msisdn: msisdn, id: voucherID, date: redeemBy, stage: stage)
    }

    /// `voucher:{msisdn}:{voucher_id}:`, the part of a key a moved deadline keeps.
    static func group(msisdn: String, voucherID: String) -> String {
        keyKind + ":" + msisdn + ":" + voucherID + ":"
    }

    /// The voucher's last day (`voucher:{msisdn}:{voucher_id}:{R}:{stage}`).
    public static func lastUsefulDay(key: String, configuration: RuleConfiguration) -> CalendarDate? {
        ItemKey.stagedDeadline(key, fields: 5)
    }

    public static var samples: [RuleSample] {
        func voucher(_ id: String, value: Int, days: Int) -> RuleSample.Rows {
            { m, d, b in
                b.add(
                    Voucher(
                        voucherID: id, title: RuleSample.longNames[id.count % RuleSample.longNames.count] + "券", value: Money(fen: value),
                        code: "8F3KQ2M7X9", redeemBy: d.adding(days: days), status: .issued), to: vouchers, msisdn: m)
            }
        }
        return [
            RuleSample("voucher, one voucher", [voucher("V1", value: 5000, days: 7)]),
            RuleSample("voucher, one voucher, last day today", [voucher("V1", value: 5000, days: 0)]),
            RuleSample(
                "voucher, one voucher extended by 7 days", items: 1,
                recorded: { m, d in
                    [key(msisdn: m, voucherID: "V1", redeemBy: d.adding(days: -6), stage: 7)]
                }, rows: voucher("V1", value: 5000, days: 1)),
            RuleSample(
                "voucher, one voucher extended to today", items: 1,
                recorded: { m, d in
                    [key(msisdn: m, voucherID: "V1", redeemBy: d.adding(days: -3), stage: 1)]
                }, rows: voucher("V1", value: 5000, days: 0)),
            RuleSample(
                "voucher, three vouchers",
                [
                    voucher("V1", value: 5000, days: 1), voucher("V22", value: 1000, days: 7),
                    voucher("V333", value: 2050, days: 7),
                ]),
        ]
    }
}

extension RuleKind {
    public static let voucherExpiry = VoucherExpiryRule.kind
}
