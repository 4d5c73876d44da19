import SMSCore

/// What a reviewer needs to know about one night's messages before they go out.
public struct PreviewReport: Sendable {
    public struct Variant: Sendable {
        public var name: String
        public var count: Int
        /// One real message rendered with this variant.
        public var sample: RenderedMessage
    }

    public struct Flagged: Sendable {
        public var message: RenderedMessage
        public var reasons: [String]
    }

    public var asOf: CalendarDate
    /// The rules reported, in send order.
    public var registry: RuleRegistry
    public var messages: Int
    public var byRule: [RuleKind: Int] = [:]
    /// Items per rule and stage label (`7天`, `30天`, or the summarised month).
    public var byStage: [RuleKind: [String: Int]] = [:]
    public var byBrand: [Brand: Int] = [:]
    public var byStars: [Int: Int] = [:]
    /// Messages (or rows) left out, with the reason in words.
    public var suppressed: [(reason: String, count: Int)] = []
    public var segments = 0
    /// Estimated cost in fen at the configured price per segment.
    public var costFen = 0.0
    /// Messages per segment count.
    public var histogram: [Int: Int] = [:]
    public var variants: [Variant] = []
    public var flagged: [Flagged] = []
    /// The plan's digest (``PlanDigest``), which a reviewer approves.
    public var digest = ""
    /// Subscribers and points at stake per points stage (the care plan's KPIs).
    public var pointsAtStake: [Int: PointsAtStake] = [:]
    /// Messages that would be held instead of sent (SPEC §5): they are among the flagged, with the reason.
    public var held = 0

    /// Texts over this many segments are flagged.
    public static let segmentFlag = 2
    /// Texts over this many characters are flagged (platforms cap one message near 500).
    public static let lengthFlag = 500

    public init(plan: DayPlan, configuration: Configuration) throws(BatchError) {
        asOf = plan.asOf
        registry = configuration.registry
        messages = plan.count
        var variantIndex: [String: Int] = [:]
        var quota = QuotaSimulation(configuration: configuration)
        pointsAtStake = plan.pointsAtStake
        var plan = plan
        var digest = PlanDigest()
        try plan.forEachChunk { chunk in
            for m in chunk {
                if m.hold == nil { digest.add(id: m.id, text: m.text) }
                add(m, variantIndex: &variantIndex)
                if m.hold == nil { quota.add(m) } else { held += 1 }
            }
        }
        self.digest = digest.hex()
        variants.sort { $0.name < $1.name }
        costFen = Double(segments) * configuration.pricePerSegmentFen
        let s = plan.statistics
        suppressed = [
            ("dnd (do not disturb)", s.suppressedTotal(.dnd)),
            ("not active (suspended or closed)", s.suppressedTotal(.notActive)),
            ("already in the ledger", s.suppressedTotal(.alreadyRecorded)),
            ("orphan rows (number not in subscribers.csv)", plan.report.orphanTotal),
            ("bad rows", plan.report.badRows.count),
            ("deferred by quota", quota.deferred),
            ("held: a link, a signature or too much text from the data (an operator releases or drops them)", held),
        ]
    }

    /// Flagged messages kept for the page; the count goes on past this.
    public static let flaggedShown = 200
    /// All flagged messages, shown or not.
    public var flaggedCount = 0

    private mutating func add(_ m: RenderedMessage, variantIndex: inout [String: Int]) {
        byRule[m.rule, default: 0] += 1
        byBrand[m.brand, default: 0] += 1
        byStars[m.stars, default: 0] += 1
        segments += m.segments
        histogram[m.segments, default: 0] += 1
        for key in m.keys { byStage[m.rule, default: [:]][registry.stageLabel(of: key), default: 0] += 1 }
        if let i = variantIndex[m.template] {
            variants[i].count += 1
        } else {
            variantIndex[m.template] = variants.count
            variants.append(Variant(name: m.template, count: 1, sample: m))
        }
        var reasons: [String] = []
        if let hold = m.hold { reasons.append("held: " + hold.sentence) }
        if m.segments > PreviewReport.segmentFlag { reasons.append("\(m.segments) segments") }
        if m.text.count > PreviewReport.lengthFlag { reasons.append("\(m.text.count) characters") }
        if !m.emptyFields.isEmpty { reasons.append("empty: " + m.emptyFields.joined(separator: ", ")) }
        if !reasons.isEmpty {
            flaggedCount += 1
            if flagged.count < PreviewReport.flaggedShown { flagged.append(Flagged(message: m, reasons: reasons)) }
        }
    }

    /// Yuan with two decimals.
    public var costText: String {
        let fen = Int(costFen.rounded())
        return "\(fen / 100).\(fen % 100 < 10 ? "0" : "")\(fen % 100)元"
    }

    /// The short summary printed on the terminal.
    public var terminalSummary: String {
        var lines = ["preview \(asOf): \(messages) messages, \(segments) segments, estimated cost \(costText)"]
        for rule in registry.kinds {
            let stages = (byStage[rule] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("  \(rule.rawValue): \(byRule[rule] ?? 0)" + (stages.isEmpty ? "" : " (items by stage: \(stages))"))
        }
        let left = suppressed.filter { $0.count > 0 }.map { "\($0.reason) \($0.count)" }
        if !left.isEmpty { lines.append("  left out: " + left.joined(separator: "; ")) }
        lines.append("  template variants used: \(variants.count); flagged messages: \(flaggedCount)")
        if held > 0 { lines.append("  held (not sent until an operator releases them): \(held)") }
        if !pointsAtStake.isEmpty {
            let stakes = pointsAtStake.keys.sorted().map { "\($0)天 \(pointsAtStake[$0]!.subscribers) 人 / \(pointsAtStake[$0]!.points) 分" }
            lines.append("  points at stake per stage (待清零客户数 / 待清零积分数): " + stakes.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}

/// What the daily quota and the per-subscriber cap would hold back tonight, fed in send order.
struct QuotaSimulation {
    let configuration: Configuration
    var total = 0
    var deferred = 0
    var perSubscriber: [String: Int] = [:]

    /// Mandatory notices, which the per-subscriber cap never holds back.
    let exempt: Set<RuleKind>

    init(configuration: Configuration) {
        self.configuration = configuration
        exempt = configuration.registry.mandatory
    }

    mutating func add(_ m: RenderedMessage) {
        if let quota = configuration.dailyQuota, total >= quota { deferred += 1; return }
        let counted = !exempt.contains(m.rule)
        if counted, let cap = configuration.perSubscriberDailyCap, perSubscriber[m.msisdn, default: 0] >= cap {
            deferred += 1
            return
        }
        total += 1
        if counted { perSubscriber[m.msisdn, default: 0] += 1 }
    }
}
