import Foundation
import SMSSnapshot

/// Writes bad rows to a CSV file an operator can fix and reload: file, line, column, reason, row.
enum RejectFile {
    static func write(_ rows: [BadRow], directory: String?, asOf: String) throws(BatchError) -> String {
        let folder = directory ?? NSTemporaryDirectory()
        let path = (folder as NSString).appendingPathComponent("smsbatch-rejects-\(asOf).csv")
        var text = "file,line,column,reason,row\n"
        for row in rows {
            text += [row.file, String(row.line), row.column, row.reason, row.raw].map(quote).joined(separator: ",")
            text += "\n"
        }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw BatchError(.io, "cannot write the reject file \(path)")
        }
        return path
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
