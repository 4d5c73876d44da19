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
    init(columns text: (Int) -> String?, _ int: (Int) -> Int, day: String) {
        let message = RenderedMessage(
            id: text(1) ?? "", msisdn: text(2) ?? "", rule: RuleKind(rawValue: text(3) ?? "") ?? .monthEndSummary,
            keys: StoredKeys.keys(text(4) ?? ""), text: text(5) ?? "", units: int(6), segments: int(7), stars: int(8),
            brand: Brand(rawValue: text(9) ?? "") ?? .easyown, template: text(10) ?? "")
        self.init(seq: int(0), message: message, state: MessageState(rawValue: text(11) ?? "") ?? .queued,
                  attempts: int(12), dueDay: text(13) ?? day)
    }
}

/// Item keys as both ledgers store them with their message: one text, a key per line.
enum StoredKeys {
    static func text(_ keys: [String]) -> String { keys.joined(separator: "\n") }
    static func keys(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }
}
