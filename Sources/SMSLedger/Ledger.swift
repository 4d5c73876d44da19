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

    /// Records planned messages as `queued`, in order, with their keys; returns how many were new.
    /// A message any of whose keys is already recorded is skipped whole, so each key is queued once.
    func record(_ messages: [RenderedMessage], planDay: CalendarDate, dueDay: String,
                expiry: (RenderedMessage) -> CalendarDate?, timestamp: String) throws(LedgerError) -> Int

    /// Called once a plan is recorded: a shared ledger refreshes its statistics so the queries that follow pick
    /// their indexes (a freshly loaded table has none).
    func finishRecording() throws(LedgerError)

    /// Puts messages whose sender died while they were `sending` back in the queue, to be sent again under the
    /// same id; returns how many.
    func recoverInterrupted(timestamp: String) throws(LedgerError) -> Int

    /// Marks messages a quota held back (`deferred`) as `expired` once the date their notice announces has passed.
    func expire(before day: String, timestamp: String) throws(LedgerError) -> Int

    /// Messages waiting (queued or deferred) that may go out on `day`.
    func waitingCount(on day: String) throws(LedgerError) -> Int

    /// Starts handing out batches to send under `policy`.
    func startDelivery(_ policy: DeliveryPolicy) throws(LedgerError) -> any DeliverySession

    /// Counts per state and rule, and recent problems, for `smsbatch status`.
    func status(problemLimit: Int) throws(LedgerError) -> LedgerStatus

    /// Every message in plan order (for tests and audits).
    func allMessages() throws(LedgerError) -> [LedgerRecord]
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
    public static func open(_ text: String, forWriting: Bool) throws(LedgerError) -> any Ledger {
        switch LedgerLocation(text) {
        case let .file(path): try SQLiteLedger(path: path, readOnly: !forWriting)
        case let .postgres(url): try PostgresLedger(url: url, migrating: forWriting)
        }
    }
}
