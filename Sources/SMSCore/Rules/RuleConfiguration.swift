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
    /// Services named in a month-end summary before "等N项" (SPEC: at most 5). Default 3, so a summary fits two
    /// segments.
    public var summaryMaxNamed: Int = 3
    /// Rules that skip subscribers who asked not to be disturbed. Default: the summary and points rules;
    /// the trial reminder is mandatory.
    public var dndRules: Set<RuleKind> = [.monthEndSummary, .pointsClearing]
    /// Rules that run. Default: all three.
    public var enabledRules: Set<RuleKind> = Set(RuleKind.allCases)
    /// The service hotline named in texts. Default `10086`.
    public var hotline: String = "10086"
    /// How to redeem points, electronic channel first (short codes differ by province). Default: the App's
    /// points mall.
    public var pointsRedeemHint: String = "登录中国移动App进入“积分商城”兑换"
    /// A privilege to name per star level (客户星级), e.g. `[5: "…"]`; the source plans list none, so the default
    /// is none and no text names one.
    public var starPrivileges: [Int: String] = [:]
    /// Services a subscriber benefits from without "using" them (a ring-back tone, a security service, cloud
    /// storage), by code or name: a month-end summary never marks them unused, which would invite a needless
    /// cancellation. Default: the common ones by name.
    public var summaryPassiveServices: Set<String> = ["彩铃", "视频彩铃", "安全管家", "和彩云", "来电提醒", "和通讯录"]

    public init() {}
}
