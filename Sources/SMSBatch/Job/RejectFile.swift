import Foundation
import SMSLedger
import SMSSnapshot

/// Writes bad rows to a CSV file an operator can fix and reload: file, line, column, reason, row.
///
/// It holds whole rows (numbers included), so it is private (``ReportFile``) and kept beside the ledger by default,
/// not in the shared temporary folder. A field that a spreadsheet would run as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) is written with a leading `'`, as spreadsheets themselves escape text.
enum RejectFile {
    static func write(_ rows: [BadRow], directory: String?, ledger: String, asOf: String) throws(BatchError) -> String {
        let folder = directory ?? defaultDirectory(ledger: ledger)
        let path = (folder as NSString).appendingPathComponent("smsbatch-rejects-\(asOf).csv")
        var text = "file,line,column,reason,row\n"
        for row in rows {
            text += [row.file, String(row.line), row.column, row.reason, row.raw].map { quote(defused($0)) }.joined(separator: ",")
            text += "\n"
        }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try ReportFile.write(text, to: path, what: "the reject file")
        return path
    }

    /// The SQLite ledger's folder; the working folder for a shared ledger (as an absolute path, for the log line).
    static func defaultDirectory(ledger: String) -> String {
        let here = FileManager.default.currentDirectoryPath
        guard case let .file(path) = LedgerLocation(ledger) else { return here }
        let folder = (path as NSString).deletingLastPathComponent
        if folder.isEmpty { return here }
        return folder.hasPrefix("/") ? folder : (here as NSString).appendingPathComponent(folder)
    }

    /// `field` with a leading `'` when a spreadsheet would take it as a formula.
    static func defused(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return field }
        return "'" + field
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
