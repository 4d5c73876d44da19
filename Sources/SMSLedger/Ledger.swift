import SMSCore

/// The durable record of what was planned and sent (SPEC §5): every item key once, every message with its state.
///
/// ``SQLiteLedger`` keeps it in one file for one process at a time; ``PostgresLedger`` keeps it in a shared database
/// that several planners and senders use at once.
public protocol Ledger: AnyObject {
    /// Where the ledger lives, fit for a log line (never a password).
    var location: String { get }

    /// Every recorded item key, for the planner's "already sent" checks.
    func history() throws(LedgerError) -> InMemoryKeyHistory

    /// Records planned messages as `queued`, or `held` with the reason when ``RenderedMessage/hold`` says so, in
    /// order, with their keys; returns how many were new.
    /// A message any of whose keys is already recorded is skipped whole, so each key is queued once.
    /// With a `plan` token (the approval gate), messages that are not held are recorded `awaiting` under it
    /// instead, until ``sealPlan(token:digest:)`` names their plan and ``approve(_:)`` releases it.
    func record(
        _ messages: [RenderedMessage], planDay: CalendarDate, dueDay: String, plan: String?,
        expiry: (RenderedMessage) -> CalendarDate?, timestamp: String
    ) throws(LedgerError) -> Int

    /// Called once a plan is recorded: a shared ledger refreshes its statistics so the queries that follow pick
    /// their indexes (a freshly loaded table has none).
    func finishRecording() throws(LedgerError)

    /// Settles the messages a stopped sender left `sending` (on a SQLite file: all of them, the caller holds the
    /// lock; on a shared ledger: those whose lease ran out or whose sender on this host is gone). A message whose
    /// claim tag names a file that `written` finds it in was delivered: it is settled `sent`; the others go back to
    /// the queue, to be sent again under the same id, their quota counts given back. When `written` cannot tell (it
    /// throws), nothing is settled: better to stop than to write a record twice.
    func recoverInterrupted(
        timestamp: String, worker: String, written: (_ tag: String) throws(LedgerError) -> Set<String>?
    ) throws(LedgerError) -> Recovery

    /// Marks messages a quota held back (`deferred`) as `expired` once the date their notice announces has passed.
    func expire(before day: String, timestamp: String) throws(LedgerError) -> Int

    /// Messages waiting (queued or deferred) that may go out on `day`.
    func waitingCount(on day: String) throws(LedgerError) -> Int

    /// Starts handing out batches to send under `policy`.
    func startDelivery(_ policy: DeliveryPolicy) throws(LedgerError) -> any DeliverySession

    /// Counts per state and rule, and recent problems, for `smsbatch status`.
    func status(problemLimit: Int) throws(LedgerError) -> LedgerStatus

    /// Held messages in plan order, at most `limit`.
    func heldMessages(limit: Int) throws(LedgerError) -> [HeldMessage]

    /// Releases or drops held messages and records who did it and when; returns how many changed (a message that
    /// is no longer held is left alone).
    func decide(_ decision: OperatorDecision) throws(LedgerError) -> Int

    /// Gathers under `token` the awaiting messages of gated runs that stopped before they named their plan (they
    /// come first in plan order, so the plan recorded next includes them); returns how many.
    func adoptUnsealedPlans(token: String) throws(LedgerError) -> Int

    /// Names the plan of the messages recorded under `token` by its digest, computed from what the ledger holds
    /// (``PlanDigest`` over their ids and texts in plan order); returns the digest and how many messages it covers.
    func sealPlan(token: String) throws(LedgerError) -> (digest: String, messages: Int)

    /// Plans that wait for approval, their messages in send order.
    func pendingPlans() throws(LedgerError) -> [PendingPlan]

    /// Records an approval of `digest` by `by` and releases its plan's messages to the queue (due `day`) when the
    /// plan is recorded; an approval given first waits for its plan.
    func approve(digest: String, by: String, note: String?, day: String, timestamp: String) throws(LedgerError) -> ApprovalOutcome

    /// Releases the awaiting messages of `digest` to the queue if that digest is approved; returns how many.
    func releaseIfApproved(digest: String, day: String, timestamp: String) throws(LedgerError) -> Int

    /// Every approval, newest first.
    func approvals() throws(LedgerError) -> [Approval]

    /// Applies delivery receipts: the latest `at` of a message wins; the same file twice changes nothing.
    func applyReceipts(_ receipts: [Receipt], timestamp: String) throws(LedgerError) -> ReceiptOutcome

    /// Applies status reports for single segments (CMPP), each `id` a segment's gateway id as settled with the
    /// message: a message is delivered once every segment's report says `DELIVRD`, undelivered (with the code) as
    /// soon as one says otherwise. The same report twice changes nothing.
    func applySegmentReports(_ reports: [Receipt], timestamp: String) throws(LedgerError) -> ReceiptOutcome

    /// Delivered and undelivered messages per rule, and the top failure codes.
    func deliveryReport() throws(LedgerError) -> DeliveryReport

    /// Every message in plan order (for tests and audits).
    func allMessages() throws(LedgerError) -> [LedgerRecord]
}

/// What ``Ledger/recoverInterrupted(timestamp:worker:written:)`` found.
public struct Recovery: Sendable, Equatable {
    /// Back in the queue, to be sent again under the same id.
    public var requeued = 0
    /// Found whole in the file they were being written to: settled `sent`.
    public var foundWritten = 0

    public init(requeued: Int = 0, foundWritten: Int = 0) {
        self.requeued = requeued
        self.foundWritten = foundWritten
    }
}

extension Recovery {
    /// The plan positions, among messages left `sending` (position, id, claim tag), whose records `written` finds in
    /// the file their claim's tag names. Both ledgers settle these as `sent`.
    static func foundWritten(
        _ claims: [(seq: Int, id: String, tag: String)],
        written: (_ tag: String) throws(LedgerError) -> Set<String>?
    ) throws(LedgerError) -> [Int] {
        var found: [Int] = []
        for (tag, rows) in Dictionary(grouping: claims, by: \.tag) {
            guard let ids = try written(tag) else { continue }
            found += rows.filter { ids.contains($0.id) }.map(\.seq)
        }
        return found
    }
}

/// One message of ``Ledger/allMessages()``.
public struct LedgerRecord: Sendable, Equatable {
    public var id: String
    public var msisdn: String
    public var rule: String
    public var keys: [String]
    public var state: String
    public var attempts: Int

    public init(id: String, msisdn: String, rule: String, keys: [String], state: String, attempts: Int) {
        (self.id, self.msisdn, self.rule, self.keys, self.state, self.attempts) = (id, msisdn, rule, keys, state, attempts)
    }
}

extension Ledger {
    public func finishRecording() throws(LedgerError) {}

    /// Counts per state and rule, and the 20 most recent problems.
    public func status() throws(LedgerError) -> LedgerStatus { try status(problemLimit: 20) }
}

/// Opens the ledger a `--ledger` text names.
public enum LedgerOpener {
    /// A SQLite file or a PostgreSQL URL; `forWriting` false opens without creating anything (dry runs, status).
    /// `registry` names the rules it reads back (default: the product's).
    public static func open(_ text: String, forWriting: Bool, registry: RuleRegistry = .standard) throws(LedgerError) -> any Ledger {
        switch LedgerLocation(text) {
        case let .file(path): try SQLiteLedger(path: path, readOnly: !forWriting, registry: registry)
        case let .postgres(url): try PostgresLedger(url: url, migrating: forWriting, registry: registry)
        }
    }
}
