/// A snapshot that cannot be read at all (as opposed to single bad rows).
public enum SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingDirectory(String)
    case missingFile(String)
    case unreadable(String, reason: String)
    case missingColumn(file: String, column: String)
    case duplicateColumn(file: String, column: String)
    case emptyFile(String)
    /// `subscribers.csv` has a header but no rows: nothing could be planned, and a night without messages must not
    /// pass for a quiet one.
    case noRows(String)
    case noDecoder

    public var description: String {
        switch self {
        case let .missingDirectory(path): "snapshot directory \(path) does not exist"
        case let .missingFile(path): "\(path): required file is missing"
        case let .unreadable(path, reason): "\(path): cannot be read (\(reason))"
        case let .missingColumn(file, column): "\(file):1: header has no column '\(column)', which is required"
        case let .duplicateColumn(file, column): "\(file):1: header names column '\(column)' twice"
        case let .emptyFile(path): "\(path): file is empty; it needs at least a header row"
        case let .noRows(path): "\(path): has a header but no rows; a snapshot needs its subscribers (was the export cut short?)"
        case .noDecoder: "this system's iconv cannot convert GB18030"
        }
    }
}
