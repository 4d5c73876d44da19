/// A rule table's rows grouped by subscriber, held by the snapshot under the table's file name.
final class TableRows<Row: Sendable>: Sendable {
    let grouped: GroupedRows<Row>
    init(_ grouped: GroupedRows<Row>) { self.grouped = grouped }
}
