/// A due digest as the first planning pass keeps it: 40 bytes, enough to order it.
public struct PlanEntry: Sendable {
    /// Position of the subscriber in the snapshot.
    public let subscriber: Int32
    /// Position of the rule in the planner's enabled rules (their send order); ``Planner/rule(of:)`` names it.
    public let rule: Int32
    let priority: (Int, Int, Int)
    let msisdn: UInt64

    /// The send order of SPEC §3.4: rule, the rule's priority, then msisdn.
    static func sendsBefore(_ a: PlanEntry, _ b: PlanEntry) -> Bool {
        if a.rule != b.rule { return a.rule < b.rule }
        if a.priority != b.priority { return a.priority < b.priority }
        return a.msisdn < b.msisdn
    }
}
