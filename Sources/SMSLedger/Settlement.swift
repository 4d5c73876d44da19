import SMSCore

/// What happened to one message handed to the gateway, for ``DeliverySession/settle(_:timestamp:)``.
public struct Settlement: Sendable {
    public enum Result: Sendable {
        case sent(gatewayMessageID: String?)
        case rejected(status: Int, reply: String)
        /// Stays queued for a later run.
        case retryLater(reason: String)
        /// Never handed to the gateway (a stop came first): back in the queue as if it had not been claimed.
        case untried
        /// Settled `rejected` earlier in this pass, then found to be the gateway's fault (a circuit breaker): back
        /// in the queue, its quota counts given back.
        case requeueRejected(reason: String)
    }
    /// The message's position in the plan (its row in the ledger).
    public var seq: Int
    public var result: Result
    /// For a message sent in segments whose reports come one by one (CMPP): the gateway's id of each segment, in
    /// order, kept so that each report finds its message.
    public var segmentIDs: [String]

    public init(seq: Int, result: Result, segmentIDs: [String] = []) {
        self.seq = seq
        self.result = result
        self.segmentIDs = segmentIDs
    }
}
