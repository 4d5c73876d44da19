/// A row that breaks a field rule or repeats a primary key (SPEC §1): skipped, reported, written to the reject file.
public struct BadRow: Sendable, Equatable, CustomStringConvertible {
    /// The file's name inside the snapshot directory, e.g. `subscribers.csv`.
    public var file: String
    /// 1-based line where the row starts.
    public var line: Int
    /// The column at fault (a header name), or a description such as `(row)`.
    public var column: String
    /// Why the row was skipped; never contains the row's values.
    public var reason: String
    /// The row as read (UTF-8 when it could be decoded), for the reject file only.
    public var raw: String

    public init(file: String, line: Int, column: String, reason: String, raw: String = "") {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.raw = raw
    }

    /// `file:line: column: reason`.
    public var description: String { "\(file):\(line): \(column): \(reason)" }
}
