import SMSCore

/// Delivery states of a message in the ledger.
public enum MessageState: String, Sendable, CaseIterable {
    /// Planned, waiting for the window or the next send.
    case queued
    /// Handed to the gateway; not yet settled. Found after a crash, it is sent again under the same id.
    case sending
    /// Accepted by the gateway.
    case sent
    /// Refused by the gateway for good.
    case rejected
    /// Held back by a quota; due again on a later day.
    case deferred
    /// Held back until its notice no longer made sense (the date it announces has passed).
    case expired
    /// Not sent: its text carries, from the data, a link, a signature of its own or too much text (SPEC §5). It
    /// waits for an operator to release or drop it, and uses no quota.
    case held
    /// A held message an operator dropped: never sent.
    case dropped
    /// Recorded under the approval gate: waits until a reviewer approves its plan's digest.
    case awaiting
}

extension RuleKind {
    /// A rule name read from a ledger. One this build does not know was written by a newer smsbatch: it is an
    /// error, never relabelled as another rule.
    static func stored(_ name: String, in registry: RuleRegistry) throws(LedgerError) -> RuleKind {
        guard let rule = registry.kind(named: name) else {
            throw LedgerError(
                .newerVersion,
                "the ledger holds a message of rule '\(name)', which this smsbatch does not know (written by a newer one?); upgrade smsbatch rather than risk it"
            )
        }
        return rule
    }
}

extension MessageState {
    /// The state a freshly planned message is recorded in: held when its text must not go out, awaiting under the
    /// approval gate, else queued.
    static func recorded(_ m: RenderedMessage, gated: Bool) -> MessageState {
        m.hold != nil ? .held : gated ? .awaiting : .queued
    }
}

/// A message as the ledger keeps it.
public struct LedgerMessage: Sendable {
    /// Position in the global plan order.
    public var seq: Int
    public var message: RenderedMessage
    public var state: MessageState
    public var attempts: Int
    /// First local day on which it may be sent.
    public var dueDay: String
}

extension LedgerMessage {
    /// Decodes the columns both ledgers select for delivery, in this order: seq, id, msisdn, rule, keys, text, units,
    /// segments, stars, brand, template, state, attempts, due_day. `text` reads a column (nil for NULL), `int` a
    /// number column; `day` stands in for a missing due day.
    init(columns text: (Int) -> String?, _ int: (Int) -> Int, day: String, registry: RuleRegistry) throws(LedgerError) {
        // A rule or state this build does not know was written by a newer smsbatch: relabelling it would send a
        // newer rule's messages under another rule's quotas, so the pass stops instead.
        let rule = try RuleKind.stored(text(3) ?? "", in: registry)
        guard let state = MessageState(rawValue: text(11) ?? "") else {
            throw LedgerError(
                .newerVersion,
                "the ledger holds a message in state '\(text(11) ?? "")', which this smsbatch does not know (written by a newer one?); upgrade smsbatch rather than risk it"
            )
        }
        let message = RenderedMessage(
            id: text(1) ?? "", msisdn: text(2) ?? "", rule: rule,
            keys: StoredKeys.keys(text(4) ?? ""), text: text(5) ?? "", units: int(6), segments: int(7), stars: int(8),
            brand: Brand(rawValue: text(9) ?? "") ?? .easyown, template: text(10) ?? "")
        self.init(seq: int(0), message: message, state: state, attempts: int(12), dueDay: text(13) ?? day)
    }
}

/// Item keys as both ledgers store them with their message: one text, a key per line.
enum StoredKeys {
    static func text(_ keys: [String]) -> String { keys.joined(separator: "\n") }
    static func keys(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }
}
