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
