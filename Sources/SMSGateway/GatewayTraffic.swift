/// Counts of what a reporting gateway received, for the run's log.
public struct GatewayTraffic: Sendable, Equatable {
    /// Status reports acknowledged.
    public var reports = 0
    /// Mobile-originated messages (replies such as `TD`) answered; only counted for now.
    public var mobileOriginated = 0
    /// SUBMITs answered with flow control, then retried.
    public var flowControlled = 0
    /// Links that broke and were connected again.
    public var reconnects = 0

    public init() {}
}
