/// A gateway whose centre sends status reports back over the same link, possibly long after the message (the
/// centre keeps unanswered reports and pushes them after the next login).
public protocol ReportingGateway: Gateway {
    /// Where reports go as they come, on the gateway's own loop (inside ``Gateway/deliver(_:report:)`` and
    /// ``collectReports(until:)``), always after the outcome of the message they concern was reported. It returns
    /// `true` once they are kept durably; only then does the gateway acknowledge them, so a report lost by a crash
    /// is pushed again by the centre. With no sink, reports are acknowledged and counted only.
    var reportSink: (([SegmentReport]) -> Bool)? { get set }

    /// Logs in when not yet connected and waits for reports: until every segment handed over on this gateway has
    /// its report and the link has been quiet for a moment, or the gateway's report wait is over, or `stop`
    /// returns `true`. Throws when it cannot log in.
    func collectReports(until stop: () -> Bool) throws(GatewayError)

    /// What came back so far: reports, mobile-originated messages, dropped links.
    var traffic: GatewayTraffic { get }

    /// Ends the session without throwing (on the way out after a failure or a stop).
    func disconnect()
}
