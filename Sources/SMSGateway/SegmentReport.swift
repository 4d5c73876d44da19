/// A status report a gateway received for one segment it handed over (CMPP's DELIVER with Registered_Delivery 1).
public struct SegmentReport: Sendable, Equatable {
    /// The gateway's id of the segment, as ``DeliveryOutcome/accepted(gatewayMessageID:segmentIDs:)`` gave it.
    public var segmentID: String
    /// The report's status as given (`DELIVRD`, `UNDELIV`, `EXPIRED`, an operator code, …).
    public var code: String
    public var delivered: Bool { code == "DELIVRD" }

    public init(segmentID: String, code: String) {
        (self.segmentID, self.code) = (segmentID, code)
    }
}
