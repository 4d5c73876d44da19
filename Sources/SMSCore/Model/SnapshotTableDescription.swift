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
