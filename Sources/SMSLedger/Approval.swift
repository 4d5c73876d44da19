import SMSCore

/// A reviewer's approval of a plan digest (issue 16), as the ledger keeps it.
public struct Approval: Sendable, Equatable {
    public var digest: String
    public var by: String
    public var at: String
    public var note: String?
    /// Messages it released (0 while it waits for its plan: an approval given before the run).
    public var messages: Int
    /// When its plan was released, if it was.
    public var usedAt: String?

    public init(digest: String, by: String, at: String, note: String?, messages: Int, usedAt: String?) {
        (self.digest, self.by, self.at, self.note, self.messages, self.usedAt) = (digest, by, at, note, messages, usedAt)
    }
}

/// A plan that waits for approval: its digest and its messages in send order.
public struct PendingPlan: Sendable {
    public var digest: String
    public var planDay: String
    public var messages: [RenderedMessage]
}

/// What an approval did.
public struct ApprovalOutcome: Sendable, Equatable {
    /// Messages of the approved plan put in the queue now (0 when the plan is not recorded yet).
    public var released: Int
    /// True when the same digest was already approved (approving twice changes nothing).
    public var alreadyApproved: Bool
}

/// A delivery receipt (status report) for one message (issue 16).
public struct Receipt: Sendable, Equatable {
    /// smsbatch's message id or the gateway's `message_id`.
    public var id: String
    /// `delivered`, or `undelivered` with the operator's code.
    public var delivered: Bool
    /// The report's status as given (`DELIVRD`, `UNDELIV`, `EXPIRED`, an operator code, …).
    public var code: String
    /// When the report says it happened (ISO 8601, compared as text: the latest wins).
    public var at: String

    public init(id: String, delivered: Bool, code: String, at: String) {
        (self.id, self.delivered, self.code, self.at) = (id, delivered, code, at)
    }
}

/// What receipts changed.
public struct ReceiptOutcome: Sendable, Equatable {
    /// Receipts that set or changed a message's delivery status.
    public var applied = 0
    /// Receipts for a message whose status was already the same or newer (a file read twice).
    public var unchanged = 0
    /// Receipts whose id names no message.
    public var unknownIDs: [String] = []

    public init() {}
}

/// Delivery receipts per rule, for `status`.
public struct DeliveryReport: Sendable, Equatable {
    public var delivered: [RuleKind: Int] = [:]
    public var undelivered: [RuleKind: Int] = [:]
    /// The most frequent codes of undelivered messages, most frequent first.
    public var topCodes: [(code: String, count: Int)] = []

    public init() {}

    public static func == (a: DeliveryReport, b: DeliveryReport) -> Bool {
        a.delivered == b.delivered && a.undelivered == b.undelivered && a.topCodes.map(\.code) == b.topCodes.map(\.code)
            && a.topCodes.map(\.count) == b.topCodes.map(\.count)
    }
}

extension Receipt {
    /// The latest receipt of each message: `resolved` maps receipt ids (a message's id or its gateway id) to
    /// message positions and their current delivery time. Ties in `at` go to the later code in text order, so the
    /// choice never depends on the order of the file or of a dictionary. Returns those newer than what the ledger
    /// holds, and the ids that name no message.
    static func latestPerMessage(
        _ receipts: [Receipt], resolved: [(id: String, seq: Int, deliveredAt: String?)]
    )
        -> (latest: [Int: Receipt], outcome: ReceiptOutcome)
    {
        var seqs: [String: [(seq: Int, deliveredAt: String?)]] = [:]
        for r in resolved { seqs[r.id, default: []].append((r.seq, r.deliveredAt)) }
        var latest: [Int: Receipt] = [:]
        var current: [Int: String?] = [:]
        var unknown = Set<String>()
        for receipt in receipts {
            guard let targets = seqs[receipt.id] else { unknown.insert(receipt.id); continue }
            for t in targets {
                current[t.seq] = t.deliveredAt
                if let held = latest[t.seq], (held.at, held.code) >= (receipt.at, receipt.code) { continue }
                latest[t.seq] = receipt
            }
        }
        var outcome = ReceiptOutcome()
        outcome.unknownIDs = unknown.sorted()
        let newer = latest.filter { seq, r in (current[seq] ?? nil).map { r.at > $0 } ?? true }
        outcome.unchanged = latest.count - newer.count
        return (newer, outcome)
    }
}
