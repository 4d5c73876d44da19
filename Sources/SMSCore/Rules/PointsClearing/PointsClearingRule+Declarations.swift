/// What the points-clearing rule declares besides its digest: settings, keys, samples.
extension PointsClearingRule {
    public static let stagesSetting = RuleSetting(
        "points_stages", .stages, default: [30, 7, 1],
        doc: "Days before a clearing date at which a points warning is due (SPEC §3.3).")
    public static let minExpiringSetting = RuleSetting(
        "min_expiring_points", .wholeNumber(min: 1), default: 1,
        doc: "The fewest expiring points worth a warning.")
    public static let redeemHintSetting = RuleSetting(
        "points_redeem_hint", .messageText, default: "登录中国移动App进入“积分商城”兑换",
        doc: "How to redeem points, electronic channel first (short codes differ by province).")
    public static let privilegesSetting = RuleSetting(
        "star_privileges", starTexts, default: [:],
        doc: "A privilege the points warning names per star level (客户星级), e.g. `{\"5\": \"…\"}`; the source plans list none.")

    public static var settings: [Setting<RuleConfiguration>] {
        [stagesSetting.declaration, minExpiringSetting.declaration, redeemHintSetting.declaration, privilegesSetting.declaration]
    }

    /// Texts by star level "0"–"5".
    static let starTexts = SettingKind<[Int: String]>(
        expected: "an object of star levels (\"1\"–\"5\") and a privilege's text, with no link and no 【】",
        read: { input, _ in
            guard case let .object(entries) = input else { return nil }
            var out: [Int: String] = [:]
            for (level, value) in entries {
                guard let stars = Int(level), (0...5).contains(stars), let text = value.text, TextPolicy.isConfigurable(text)
                else { return nil }
                out[stars] = text
            }
            return out
        },
        write: { "{" + $0.sorted { $0.key < $1.key }.map { "\"\($0.key)\": " + JSONText.string($0.value) }.joined(separator: ", ") + "}" })

    /// The clearing date (`points:{msisdn}:{C}:{stage}`).
    public static func lastUsefulDay(key: String, configuration: RuleConfiguration) -> CalendarDate? {
        ItemKey.stagedDeadline(key, fields: 4)
    }

    public static var samples: [RuleSample] {
        func points(days: Int) -> RuleSample.Rows {
            { m, d, b in b.add(PointsRecord(msisdn: m, balance: 99_999, expiring: 99_999, clearingDate: d.adding(days: days))) }
        }
        return [
            RuleSample("points, one clearing date", [points(days: 30)]),
            RuleSample("points, clearing today", [points(days: 0)]),
            RuleSample("points, three clearing dates", [points(days: 1), points(days: 7), points(days: 30)]),
        ]
    }
}

extension Planner {
    /// The points at stake per stage (the care plan's KPIs) in the planned points-clearing messages of `entries`.
    public func pointsAtStake(_ entries: [PlanEntry], in snapshot: Snapshot, history: some KeyHistory) -> [Int: PointsAtStake] {
        guard let rule = rule(PointsClearingRule.self) else { return [:] }
        var stakes: [Int: PointsAtStake] = [:]
        for entry in self.entries(entries, of: PointsClearingRule.kind) {
            let index = Int(entry.subscriber)
            var stages: Set<Int> = []
            for (row, _, stage) in rule.dueRows(for: snapshot.subscribers[index], at: index, in: snapshot, history: history).due {
                stakes[stage, default: PointsAtStake()].points += row.expiring
                stages.insert(stage)
            }
            for stage in stages { stakes[stage, default: PointsAtStake()].subscribers += 1 }
        }
        return stakes
    }
}

extension RuleConfiguration {
    public var pointsStages: [Int] {
        get { self[PointsClearingRule.stagesSetting] }
        set { self[PointsClearingRule.stagesSetting] = newValue }
    }
    public var minExpiringPoints: Int {
        get { self[PointsClearingRule.minExpiringSetting] }
        set { self[PointsClearingRule.minExpiringSetting] = newValue }
    }
    public var pointsRedeemHint: String {
        get { self[PointsClearingRule.redeemHintSetting] }
        set { self[PointsClearingRule.redeemHintSetting] = newValue }
    }
    public var starPrivileges: [Int: String] {
        get { self[PointsClearingRule.privilegesSetting] }
        set { self[PointsClearingRule.privilegesSetting] = newValue }
    }
}

extension RuleKind {
    public static let pointsClearing = PointsClearingRule.kind
}
