import SMSCore
import SMSSnapshot

/// One day's work, planned and rendered, in send order.
public struct DayPlan: Sendable {
    public var asOf: CalendarDate
    public var messages: [RenderedMessage]
    public var statistics: PlanStatistics
    public var report: LoadReport
    /// Where bad rows were written, when there were any.
    public var rejectFile: String?
}
