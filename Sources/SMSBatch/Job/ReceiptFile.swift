import Foundation
import SMSLedger

/// A delivery-receipts file (issue 16): JSON Lines `{"id": …, "status": …, "at": ISO8601}`, or CSV with the header
/// `id,status,at`. `DELIVRD` is delivered; `UNDELIV`, `EXPIRED`, `REJECTD`, `DELETED`, `UNKNOWN` and any operator
/// code are undelivered, the code kept.
public enum ReceiptFile {
    /// A line that is not a receipt, with its number.
    public struct Problem: Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    static func read(_ path: String) throws(BatchError) -> (receipts: [Receipt], problems: [Problem]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BatchError(.badInput, "cannot read the receipts file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BatchError(.badInput, "the receipts file \(path) is not UTF-8 text")
        }
        var receipts: [Receipt] = []
        var problems: [Problem] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        let csv = lines.first.map { $0.replacingOccurrences(of: " ", with: "").lowercased() == "id,status,at" } ?? false
        for (i, raw) in lines.enumerated() {
            let number = i + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || (csv && i == 0) { continue }
            var fields: (id: String, status: String, at: String)?
            if csv {
                let parts = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 3 { fields = (parts[0], parts[1], parts[2]) }
            } else if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["id"] as? String, let status = object["status"] as? String, let at = object["at"] as? String
            {
                fields = (id, status, at)
            }
            guard let f = fields else {
                problems.append(
                    Problem(line: number, reason: csv ? "not three fields id,status,at" : "not a JSON object with string fields id, status and at"))
                continue
            }
            guard !f.id.isEmpty, f.id.count <= 128 else { problems.append(Problem(line: number, reason: "the id is empty or too long")); continue }
            guard !f.status.isEmpty, f.status.count <= 32, f.status.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                problems.append(Problem(line: number, reason: "the status is not a delivery report code such as DELIVRD"))
                continue
            }
            guard let at = timestamp(f.at) else {
                problems.append(Problem(line: number, reason: "`at` is not an ISO 8601 time such as 2026-11-30T10:00:05+08:00"))
                continue
            }
            let code = f.status.uppercased()
            receipts.append(Receipt(id: f.id, delivered: code == "DELIVRD", code: code, at: at))
        }
        return (receipts, problems)
    }

    /// `at` as UTC ISO 8601 with milliseconds (so text order is time order), or `nil`.
    static func timestamp(_ text: String) -> String? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        guard let date = plain.date(from: text) ?? withFraction.date(from: text) else { return nil }
        let out = ISO8601DateFormatter()
        out.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        out.timeZone = TimeZone(identifier: "UTC")
        return out.string(from: date)
    }
}
