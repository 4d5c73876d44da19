import Foundation
import SMSCore

/// A moment read in the configured zone: the local calendar day and minute.
public struct LocalMoment: Sendable, Equatable {
    public var instant: Date
    public var day: CalendarDate
    /// Minutes after local midnight.
    public var minuteOfDay: Int

    /// UTC ISO 8601, for ledger timestamps.
    public var timestamp: String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: instant)
    }
}

/// Reads instants in the configured zone; `--now` replaces the wall clock.
public struct Clock: Sendable {
    public let zone: TimeZone

    public init(zoneIdentifier: String) throws(BatchError) {
        guard let zone = TimeZone(identifier: zoneIdentifier) else {
            throw BatchError(.configuration, "time zone '\(zoneIdentifier)' is not known")
        }
        self.zone = zone
    }

    public func moment(_ instant: Date) -> LocalMoment {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return LocalMoment(
            instant: instant,
            day: CalendarDate(year: c.year!, month: c.month!, day: c.day!)!,
            minuteOfDay: c.hour! * 60 + c.minute!)
    }

    /// The instant of `day` at `minute` after local midnight.
    public func moment(day: CalendarDate, minute: Int) -> LocalMoment {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = calendar.date(
            from: DateComponents(
                year: day.year, month: day.month, day: day.day,
                hour: minute / 60, minute: minute % 60))!
        return moment(date)
    }

    /// Parses `--now`: ISO 8601 with an offset or `Z`, or a local time without one (`2026-11-30T10:00[:00]`).
    public func parse(_ text: String) throws(BatchError) -> LocalMoment {
        let withZone = ISO8601DateFormatter()
        withZone.formatOptions = [.withInternetDateTime]
        if let d = withZone.date(from: text) { return moment(d) }
        withZone.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = withZone.date(from: text) { return moment(d) }
        let parts = text.split(separator: "T")
        if parts.count == 2, let day = CalendarDate(parts[0]) {
            let hms = parts[1].split(separator: ":").compactMap { Int($0) }
            if (2...3).contains(hms.count), (0..<24).contains(hms[0]), (0..<60).contains(hms[1]) {
                var m = moment(day: day, minute: hms[0] * 60 + hms[1])
                if hms.count == 3 { m.instant += Double(hms[2]) }
                return m
            }
        }
        throw BatchError(.usage, "--now '\(text)' is not an ISO 8601 time such as 2026-11-30T10:00:00+08:00")
    }
}
