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
