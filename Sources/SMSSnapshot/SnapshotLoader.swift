import Foundation
import SMSCore

/// Reads one snapshot directory (SPEC §1): four CSV files, validated row by row and joined by msisdn.
public struct SnapshotLoader: Sendable {
    public static let subscribersFile = "subscribers.csv"
    public static let subscriptionsFile = "subscriptions.csv"
    public static let usageFile = "usage.csv"
    public static let pointsFile = "points.csv"

    public let options: SnapshotOptions

    public init(options: SnapshotOptions = SnapshotOptions()) {
        self.options = options
    }

    /// Loads `directory`. Bad rows and orphans are skipped and reported; a missing file or column throws.
    public func load(directory: String) throws(SnapshotError) -> LoadedSnapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingDirectory(directory)
        }
        var result = LoadedSnapshot(snapshot: Snapshot(), report: LoadReport())

        let subscribers = try table(directory, Self.subscribersFile, required: [
            "msisdn", "brand", "status", "join_date", "avg_monthly_spend", "suspensions", "dnd",
        ])!
        var known: Set<String> = []
        var people: [Subscriber] = []
        read(subscribers, into: &result.report) { (r: FieldReader) throws(FieldReader.Problem) -> RowOutcome in
            let m = try r.msisdn()
            let s = Subscriber(
                msisdn: m,
                brand: try r.choice("brand", { Brand(field: $0) }, expected: "gotone, mzone, easyown, 全球通, 动感地带, 神州行"),
                status: try r.choice("status", { Subscriber.Status(rawValue: $0.lowercased()) }, expected: "active, suspended, closed"),
                joinDate: try r.date("join_date"),
                avgMonthlySpend: try r.money("avg_monthly_spend"),
                suspensions: try r.count("suspensions"),
                dnd: try r.flag("dnd"),
                city: r.optionalText("city"))
            guard known.insert(m).inserted else { throw duplicate("msisdn") }
            people.append(s)
            return .kept
        }
        result.snapshot.subscribers = people

        let subscriptions = try table(directory, Self.subscriptionsFile, required: [
            "msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial",
        ])!
        var subscriptionKeys: Set<[String]> = []
        var bySubscriber: [String: [Subscription]] = [:]
        read(subscriptions, into: &result.report) { (r: FieldReader) throws(FieldReader.Problem) -> RowOutcome in
            let m = try r.msisdn()
            let code = try r.required("service_code")
            let name = try r.required("service_name")
            let fee = try r.money("monthly_fee")
            let status = try r.choice("status", { Subscription.Status(rawValue: $0.lowercased()) }, expected: "active, cancelled")
            let trialEnd = try r.optionalDate("trial_end")
            var after: Subscription.AfterTrial?
            if trialEnd != nil {
                after = try r.choice("after_trial", { Subscription.AfterTrial(rawValue: $0.lowercased()) }, expected: "renew, lapse")
            } else if r.optionalText("after_trial") != nil {
                throw FieldReader.Problem(column: "after_trial", reason: "must be empty when trial_end is empty")
            }
            guard subscriptionKeys.insert([m, code]).inserted else { throw duplicate("msisdn, service_code") }
            guard known.contains(m) else { return .orphan }
            bySubscriber[m, default: []].append(
                Subscription(msisdn: m, serviceCode: code, serviceName: name, monthlyFee: fee,
                             status: status, trialEnd: trialEnd, afterTrial: after))
            return .kept
        }
        result.snapshot.subscriptions = bySubscriber

        if let usage = try table(directory, Self.usageFile, required: ["msisdn", "service_code", "month", "charge", "uses"], optional: true) {
            var uses: [Snapshot.UsageKey: Int] = [:]
            read(usage, into: &result.report) { (r: FieldReader) throws(FieldReader.Problem) -> RowOutcome in
                let m = try r.msisdn()
                let key = Snapshot.UsageKey(msisdn: m, serviceCode: try r.required("service_code"), month: try r.month("month"))
                _ = try r.money("charge")
                let count = try r.count("uses")
                guard uses[key] == nil else { throw duplicate("msisdn, service_code, month") }
                guard known.contains(m) else { return .orphan }
                uses[key] = count
                return .kept
            }
            result.snapshot.usage = uses
        }

        let points = try table(directory, Self.pointsFile, required: ["msisdn", "balance", "expiring", "clearing_date"])!
        var pointsKeys: Set<[String]> = []
        var pointsRows: [String: [PointsRecord]] = [:]
        read(points, into: &result.report) { (r: FieldReader) throws(FieldReader.Problem) -> RowOutcome in
            let m = try r.msisdn()
            let row = PointsRecord(msisdn: m, balance: try r.count("balance"), expiring: try r.count("expiring"),
                                   clearingDate: try r.date("clearing_date"))
            guard pointsKeys.insert([m, row.clearingDate.description]).inserted else { throw duplicate("msisdn, clearing_date") }
            guard known.contains(m) else { return .orphan }
            pointsRows[m, default: []].append(row)
            return .kept
        }
        result.snapshot.points = pointsRows
        return result
    }

    private func duplicate(_ key: String) -> FieldReader.Problem {
        FieldReader.Problem(column: key, reason: "repeats a primary key (\(key)) already seen in an earlier row")
    }

    private func table(_ directory: String, _ name: String, required: [String], optional: Bool = false) throws(SnapshotError) -> CSVTable? {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            if optional { return nil }
            throw .missingFile(path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path, reason: "permission denied or not a regular file")
        }
        return try CSVTable(bytes: [UInt8](data), name: name, encoding: options.encoding,
                            delimiter: options.delimiter, required: required)
    }

    enum RowOutcome { case kept, orphan }

    /// Runs `parse` over every row: a thrown problem makes a bad row; `.orphan` counts an orphan.
    private func read(_ table: CSVTable, into report: inout LoadReport,
                      _ parse: (FieldReader) throws(FieldReader.Problem) -> RowOutcome) {
        var bad = table.bad
        report.rowsRead[table.name] = table.rows.count + table.bad.count
        for row in table.rows {
            do {
                if try parse(FieldReader(row: row, columns: table.columns)) == .orphan {
                    report.orphans[table.name, default: 0] += 1
                }
            } catch {
                bad.append(BadRow(file: table.name, line: row.line, column: error.column,
                                  reason: error.reason, raw: row.raw))
            }
        }
        report.badRows += bad.sorted { $0.line < $1.line }
    }
}
