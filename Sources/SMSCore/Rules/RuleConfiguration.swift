/// Settings of the three rules. Every default is the operator's (SPEC §3).
public struct RuleConfiguration: Sendable, Equatable {
    /// Days before the last free day at which a trial reminder is due. Default `[7, 1]`.
    public var trialStages: [Int] = [7, 1]
    /// Days before the clearing date at which a points warning is due. Default `[30, 7, 1]`.
    public var pointsStages: [Int] = [30, 7, 1]
    /// Days into a month in which a missed month-end summary is still sent. Default 3.
    public var summaryGraceDays: Int = 3
    /// Smallest number of expiring points worth a warning. Default 1.
    public var minExpiringPoints: Int = 1
    /// Services named in a month-end summary before "等N项". Default 5.
    public var summaryMaxNamed: Int = 5
    /// Rules that skip subscribers who asked not to be disturbed. Default: the summary and points rules;
    /// the trial reminder is mandatory.
    public var dndRules: Set<RuleKind> = [.monthEndSummary, .pointsClearing]
    /// Rules that run. Default: all three.
    public var enabledRules: Set<RuleKind> = Set(RuleKind.allCases)
    /// The service hotline named in texts. Default `10086`.
    public var hotline: String = "10086"

    public init() {}
}
