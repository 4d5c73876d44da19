import SMSCore

/// Counts from one delivery pass.
public struct DeliveryStatistics: Sendable, Equatable {
    public var sent: [RuleKind: Int] = [:]
    public var rejectedByRule: [RuleKind: Int] = [:]
    /// Transient failures left queued for a later run.
    public var failedByRule: [RuleKind: Int] = [:]
    public var deferredByRule: [RuleKind: Int] = [:]
    public var expired = 0
    /// Messages found `sending` after a crash and sent again under their id.
    public var recovered = 0
    /// Messages found `sending` after a crash whose records were already whole in their file: settled as sent.
    public var foundWritten = 0
    /// Messages waiting because the window is closed.
    public var waiting = 0
    /// When the window next opens, if it was closed.
    public var windowOpens: String?

    public var totalSent: Int { sent.values.reduce(0, +) }
    public var rejected: Int { rejectedByRule.values.reduce(0, +) }
    public var retryLater: Int { failedByRule.values.reduce(0, +) }
    public var deferred: Int { deferredByRule.values.reduce(0, +) }

    public init() {}
}
