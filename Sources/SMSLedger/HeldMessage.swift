import SMSCore

/// A message held instead of sent (SPEC §5), as ``Ledger/heldMessages(limit:)`` lists it.
public struct HeldMessage: Sendable, Equatable {
    public var id: String
    /// Whole; mask it wherever a person reads it.
    public var msisdn: String
    public var rule: String
    public var planDay: String
    /// Why it is held (``HoldReason/sentence``).
    public var reason: String
    public var text: String

    public init(id: String, msisdn: String, rule: String, planDay: String, reason: String, text: String) {
        (self.id, self.msisdn, self.rule, self.planDay, self.reason, self.text) = (id, msisdn, rule, planDay, reason, text)
    }
}

/// What an operator does with held messages.
public enum HeldAction: String, Sendable, CaseIterable {
    /// Back in the queue: it goes out with the next send inside the window, as it is.
    case release
    /// Never sent; its keys stay recorded, so it is not planned again.
    case drop

    /// The state a message takes.
    var state: MessageState { self == .release ? .queued : .dropped }
}

/// Who released or dropped which held messages, and when.
public struct OperatorDecision: Sendable {
    public var action: HeldAction
    /// Message ids; `nil` for every held message.
    public var ids: [String]?
    /// Who decided (kept in the ledger).
    public var by: String
    public var note: String?
    public var timestamp: String
    /// The local day of the decision: a released notice whose announced date has passed expires instead.
    public var day: String

    public init(action: HeldAction, ids: [String]?, by: String, note: String?, timestamp: String, day: String) {
        (self.action, self.ids, self.by, self.note, self.timestamp, self.day) = (action, ids, by, note, timestamp, day)
    }

    /// The ledger's `last_error` after the decision.
    var remark: String { "\(action == .release ? "released" : "dropped") by \(by) at \(timestamp)" + (note.map { ": " + $0 } ?? "") }
}
