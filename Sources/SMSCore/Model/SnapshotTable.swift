/// A CSV file a rule adds to the snapshot directory (SPEC §1), declared by the rule: its columns, its primary key and
/// how a row becomes a record. The loader reads it like the core files — bad rows, orphans, encodings, limits — and
/// the rule reads its rows with ``Snapshot/rows(_:at:)``.
public protocol SnapshotTableDescription: Sendable {
    associatedtype Row: Sendable
    /// The file's name, e.g. `vouchers.csv`.
    var file: String { get }
    /// True when a day may come without it (it then has no rows).
    var optional: Bool { get }
    /// The named columns (all required in the header); `msisdn` first.
    var columns: [TableColumn] { get }
    /// The primary key's columns besides `msisdn`.
    var key: [String] { get }
    /// Columns whose values are secret: a bad row's copy in errors and reject files shows them masked.
    var secret: [String] { get }
    /// The record of a row whose fields are valid by kind; throws for what the kinds cannot say.
    func record(_ row: TableRow) throws(TableRow.Problem) -> Row
}

/// A rule's table: ``SnapshotTableDescription`` with the record made by a closure.
public struct SnapshotTable<Row: Sendable>: SnapshotTableDescription {
    public let file: String
    public let optional: Bool
    public let columns: [TableColumn]
    public let key: [String]
    public let secret: [String]
    let make: @Sendable (TableRow) throws(TableRow.Problem) -> Row

    public init(
        file: String, optional: Bool, columns: [TableColumn], key: [String], secret: [String] = [],
        record: @escaping @Sendable (TableRow) throws(TableRow.Problem) -> Row
    ) {
        self.file = file
        self.optional = optional
        self.columns = columns
        self.key = key
        self.secret = secret
        make = record
    }

    public func record(_ row: TableRow) throws(TableRow.Problem) -> Row { try make(row) }
}

/// A column of a rule's table and what its values must be.
public struct TableColumn: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A mainland mobile number (`+86`/`86` stripped).
        case msisdn
        /// Text of 1–40 characters, no control characters (SPEC §1).
        case text
        /// 1–`maxLength` of `[A-Za-z0-9_-]`.
        case identifier(maxLength: Int)
        /// Yuan ≥ 0 with at most two decimals.
        case money
        /// `YYYY-MM-DD`.
        case date
        /// A whole number ≥ 0.
        case count
        /// One of these words (any case).
        case choice([String])
    }

    public let name: String
    public let kind: Kind

    public init(_ name: String, _ kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

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

/// A rule table's rows grouped by subscriber, held by the snapshot under the table's file name.
final class TableRows<Row: Sendable>: Sendable {
    let grouped: GroupedRows<Row>
    init(_ grouped: GroupedRows<Row>) { self.grouped = grouped }
}
