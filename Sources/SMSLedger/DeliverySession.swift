import SMSCore

/// What a sender may send today: the day, the quotas, who it is.
public struct DeliveryPolicy: Sendable {
    /// The local day whose quotas count (`YYYY-MM-DD`).
    public var day: String
    /// Where held-back messages are due again (the next day).
    public var deferUntil: String
    /// Messages the gateway accepts per day; `nil` for no cap.
    public var dailyQuota: Int?
    /// Messages one subscriber gets per day; `nil` for no cap.
    public var perSubscriberCap: Int?
    /// Rules the per-subscriber cap never holds back (mandatory notices).
    public var capExempt: Set<RuleKind>
    /// Names this sender in the ledger (host and process), so a claim says whose it is.
    public var worker: String
    /// How long a claim stays this sender's before another may take it over (shared ledgers).
    public var leaseSeconds: Int
    /// The run's timestamp, written to `updated_at`.
    public var timestamp: String

    public init(
        day: String, deferUntil: String, dailyQuota: Int?, perSubscriberCap: Int?, capExempt: Set<RuleKind>,
        worker: String, leaseSeconds: Int, timestamp: String
    ) {
        self.day = day
        self.deferUntil = deferUntil
        self.dailyQuota = dailyQuota
        self.perSubscriberCap = perSubscriberCap
        self.capExempt = capExempt
        self.worker = worker
        self.leaseSeconds = leaseSeconds
        self.timestamp = timestamp
    }
}

/// One claim: messages now `sending` under this sender's name, and what the quotas held back.
public struct ClaimedBatch: Sendable {
    /// Marked `sending` (one more attempt) and counted against today's quotas; hand them to the gateway.
    public var messages: [LedgerMessage] = []
    /// Held back by a quota, per rule; they are `deferred` to the next day.
    public var deferred: [RuleKind: Int] = [:]
    /// Taken over from a sender whose lease ran out.
    public var recovered = 0

    public init() {}
}

/// A sender's pass over the queue: claims batches in plan order, deciding the quotas as it claims, and settles them.
public protocol DeliverySession {
    /// The next batch of at most `limit` candidates, or `nil` when nothing more may go out in this pass.
    /// A batch may hold no message to send when the quotas held every candidate back.
    /// `tag` (from ``Gateway/claimTag()``) is kept with the claimed messages until they are settled.
    mutating func claim(limit: Int, tag: String?) throws(LedgerError) -> ClaimedBatch?

    /// Records what the gateway said about claimed messages.
    mutating func settle(_ settlements: [Settlement], timestamp: String) throws(LedgerError)
}

extension DeliveryPolicy {
    /// Why a message waits for tomorrow (the ledger's `last_error`).
    static let quotaReason = "daily gateway quota reached"
    static let capReason = "per-subscriber daily cap reached"
    /// Why a message found `sending` after its sender stopped goes out again.
    static let interruptedReason = "interrupted while sending; sent again under the same id"
}
