/// What the trial-expiry rule declares besides its digest: settings, keys, samples.
extension TrialExpiryRule {
    /// `trial_stages`: days before the last free day at which a reminder is due.
    public static let stagesSetting = RuleSetting(
        "trial_stages", .stages, default: [7, 1],
        doc: "Days before a trial's last free day at which its reminder is due (SPEC §3.1).")

    public static var settings: [Setting<RuleConfiguration>] { [stagesSetting.declaration] }

    /// `trial:{msisdn}:{service_code}:{T}:{stage}`, or the prefix alone without a stage.
    public static func key(msisdn: String, serviceCode: String, trialEnd: CalendarDate, stage: Int?) -> String {
        ItemKey.staged(keyKind, msisdn: msisdn, id: serviceCode, date: trialEnd, stage: stage)
    }

    /// The trial's last free day (`trial:{msisdn}:{code}:{T}:{stage}`).
    public static func lastUsefulDay(key: String, configuration: RuleConfiguration) -> CalendarDate? {
        ItemKey.stagedDeadline(key, fields: 5)
    }

    public static var samples: [RuleSample] {
        func trial(_ code: String, fee: Int, days: Int, _ after: Subscription.AfterTrial) -> RuleSample.Rows {
            { m, d, b in
                b.add(
                    Subscription(
                        msisdn: m, serviceCode: code, serviceName: RuleSample.longNames[code.count % RuleSample.longNames.count],
                        monthlyFee: Money(fen: fee), status: .active, trialEnd: d.adding(days: days), afterTrial: after))
            }
        }
        return [
            RuleSample("trial, one service that renews", [trial("AAAAAA", fee: 3000, days: 7, .renew)]),
            RuleSample("trial, one service that renews, last free day today", [trial("AAAAAA", fee: 3000, days: 0, .renew)]),
            RuleSample("trial, one service that lapses", [trial("AAAAAA", fee: 3000, days: 1, .lapse)]),
            RuleSample(
                "trial, three services, two renew and one lapses",
                [
                    trial("AAAAAA", fee: 3000, days: 1, .renew), trial("BBBBBBB", fee: 1250, days: 7, .renew),
                    trial("CCCCCCCC", fee: 990, days: 7, .lapse),
                ]),
            RuleSample(
                "trial, two services that lapse", [trial("AAAAAA", fee: 3000, days: 1, .lapse), trial("BBBBBBB", fee: 1250, days: 5, .lapse)]),
            RuleSample(
                "trial, three services, one renews and two lapse",
                [
                    trial("AAAAAA", fee: 3000, days: 1, .renew), trial("BBBBBBB", fee: 1250, days: 5, .lapse),
                    trial("CCCCCCCC", fee: 990, days: 7, .lapse),
                ]),
            RuleSample(
                "trial, three services that renew",
                [
                    trial("AAAAAA", fee: 3000, days: 1, .renew), trial("BBBBBBB", fee: 1250, days: 5, .renew),
                    trial("CCCCCCCC", fee: 990, days: 7, .renew),
                ]),
        ]
    }
}

extension RuleConfiguration {
    /// ``TrialExpiryRule/stagesSetting``.
    public var trialStages: [Int] {
        get { self[TrialExpiryRule.stagesSetting] }
        set { self[TrialExpiryRule.stagesSetting] = newValue }
    }
}

extension RuleKind {
    public static let trialExpiry = TrialExpiryRule.kind
}
