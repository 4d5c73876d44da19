/// One row of a rule's table, each named column already read by its kind.
public struct TableRow: Sendable {
    /// A value that breaks a rule the column kinds cannot express.
    public struct Problem: Error, Sendable {
        public var column: String
        public var reason: String
        public init(column: String, reason: String) {
            self.column = column
            self.reason = reason
        }
    }

    public enum Value: Sendable, Equatable {
        case text(String)
        case money(Money)
        case date(CalendarDate)
        case count(Int)
    }

    public let names: [String]
    public let values: [Value]
    /// The row's line in its file.
    public let line: Int

    public init(names: [String], values: [Value], line: Int) {
        self.names = names
        self.values = values
        self.line = line
    }

    private func value(_ name: String) -> Value? {
        names.firstIndex(of: name).map { values[$0] }
    }

    /// The text (also a number, identifier or choice, as written) of a column.
    public func text(_ name: String) -> String {
        if case let .text(s)? = value(name) { return s }
        return ""
    }

    public func money(_ name: String) -> Money {
        if case let .money(m)? = value(name) { return m }
        return .zero
    }

    public func date(_ name: String) -> CalendarDate {
        if case let .date(d)? = value(name) { return d }
        return CalendarDate(dayNumber: 0)
    }

    public func count(_ name: String) -> Int {
        if case let .count(n)? = value(name) { return n }
        return 0
    }
}
