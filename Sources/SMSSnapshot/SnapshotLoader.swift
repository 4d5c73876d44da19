import Foundation
import SMSCore

/// Reads one snapshot directory (SPEC §1): four CSV files, validated row by row and joined by msisdn.
///
/// Files are streamed in chunks and only what the rules need is kept (see ``Snapshot``), so memory grows with the
/// number of subscribers, not with the size of the files.
public struct SnapshotLoader: Sendable {
    public static let subscribersFile = "subscribers.csv"
    public static let subscriptionsFile = "subscriptions.csv"
    public static let usageFile = "usage.csv"
    public static let pointsFile = "points.csv"

    public let options: SnapshotOptions

    public init(options: SnapshotOptions = SnapshotOptions()) {
        self.options = options
    }

    static let brands: [(String, Brand)] = Brand.allCases.map { ($0.rawValue, $0) } + Brand.allCases.map { ($0.chineseName, $0) }
    static let subscriberStatuses: [(String, Subscriber.Status)] = Subscriber.Status.allCases.map { ($0.rawValue, $0) }
    static let subscriptionStatuses: [(String, Subscription.Status)] = Subscription.Status.allCases.map { ($0.rawValue, $0) }
    static let afterTrial: [(String, Subscription.AfterTrial)] = Subscription.AfterTrial.allCases.map { ($0.rawValue, $0) }

    /// Loads `directory`. Bad rows and orphans are skipped and reported; a missing file or column throws.
    public func load(directory: String) throws(SnapshotError) -> LoadedSnapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingDirectory(directory)
        }
        var report = LoadReport()
        var builder = SnapshotBuilder()
        var interner = Interner()

        var subscribers = try reader(directory, Self.subscribersFile, required: [
            "msisdn", "brand", "status", "join_date", "avg_monthly_spend", "suspensions", "dnd",
        ])!
        read(&subscribers, into: &report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            let (m, _) = try r.msisdn()
            let s = Subscriber(
                msisdn: m,
                brand: try r.choice("brand", Self.brands, expected: "gotone, mzone, easyown, 全球通, 动感地带, 神州行"),
                status: try r.choice("status", Self.subscriberStatuses, expected: "active, suspended, closed"),
                joinDate: try r.date("join_date"),
                avgMonthlySpend: try r.money("avg_monthly_spend"),
                suspensions: try r.count("suspensions"),
                dnd: try r.flag("dnd"),
                city: try r.optionalText("city", &interner))
            guard builder.add(s) else { throw duplicate("msisdn") }
            return .kept
        }

        var subscriptions = try reader(directory, Self.subscriptionsFile, required: [
            "msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial",
        ])!
        var subscriptionKeys: Set<PairKey> = []
        read(&subscriptions, into: &report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            let (m, n) = try r.msisdn()
            let code = try r.text("service_code", &interner)
            let name = try r.text("service_name", &interner)
            let fee = try r.money("monthly_fee")
            let status = try r.choice("status", Self.subscriptionStatuses, expected: "active, cancelled")
            let trialEnd = try r.optionalDate("trial_end")
            var after: Subscription.AfterTrial?
            if trialEnd != nil {
                after = try r.choice("after_trial", Self.afterTrial, expected: "renew, lapse")
            } else if !r.bytes("after_trial").isEmpty {
                throw FieldParser.Problem(column: "after_trial", reason: "must be empty when trial_end is empty")
            }
            guard subscriptionKeys.insert(PairKey(msisdn: n, other: UInt64(UInt32(bitPattern: builder.serviceID(code))))).inserted else {
                throw duplicate("msisdn, service_code")
            }
            let added = builder.add(Subscription(msisdn: m, serviceCode: code, serviceName: name, monthlyFee: fee,
                                                 status: status, trialEnd: trialEnd, afterTrial: after))
            return added ? .kept : .orphan
        }
        subscriptionKeys = []

        if var usage = try reader(directory, Self.usageFile, required: ["msisdn", "service_code", "month", "charge", "uses"], optional: true) {
            var usageKeys: Set<UsageKey> = []
            read(&usage, into: &report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
                let (m, n) = try r.msisdn()
                let code = try r.text("service_code", &interner)
                let month = try r.month("month")
                _ = try r.money("charge")
                let uses = try r.count("uses")
                guard usageKeys.insert(UsageKey(msisdn: n, service: builder.serviceID(code), month: month)).inserted else {
                    throw duplicate("msisdn, service_code, month")
                }
                return builder.addUsage(msisdn: m, serviceCode: code, month: month, uses: uses) ? .kept : .orphan
            }
        }

        var points = try reader(directory, Self.pointsFile, required: ["msisdn", "balance", "expiring", "clearing_date"])!
        var pointsKeys: Set<PairKey> = []
        read(&points, into: &report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            let (m, n) = try r.msisdn()
            let row = PointsRecord(msisdn: m, balance: try r.count("balance"), expiring: try r.count("expiring"),
                                   clearingDate: try r.date("clearing_date"))
            guard pointsKeys.insert(PairKey(msisdn: n, other: UInt64(bitPattern: Int64(row.clearingDate.dayNumber)))).inserted else {
                throw duplicate("msisdn, clearing_date")
            }
            return builder.add(row) ? .kept : .orphan
        }
        return LoadedSnapshot(snapshot: builder.build(), report: report)
    }

    struct PairKey: Hashable {
        var msisdn: UInt64
        var other: UInt64
    }

    private func duplicate(_ key: String) -> FieldParser.Problem {
        FieldParser.Problem(column: key, reason: "repeats a primary key (\(key)) already seen in an earlier row")
    }

    private func reader(_ directory: String, _ name: String, required: [String], optional: Bool = false) throws(SnapshotError) -> CSVReader? {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            if optional { return nil }
            throw .missingFile(path)
        }
        return try CSVReader(path: path, name: name, encoding: options.encoding, delimiter: options.delimiter, required: required)
    }

    enum RowOutcome { case kept, orphan }

    /// Runs `parse` over every row: a thrown problem makes a bad row; `.orphan` counts an orphan.
    private func read(_ reader: inout CSVReader, into report: inout LoadReport,
                      _ parse: (FieldParser) throws(FieldParser.Problem) -> RowOutcome) {
        var bad: [BadRow] = []
        var rows = 0
        var orphans = 0
        let columns = reader.columns
        let name = reader.name
        bad += reader.forEachRow { row in
            rows += 1
            do throws(FieldParser.Problem) {
                if try parse(FieldParser(row: row, columns: columns)) == .orphan { orphans += 1 }
            } catch {
                bad.append(BadRow(file: name, line: row.line, column: error.column, reason: error.reason, raw: row.raw))
            }
        }
        report.rowsRead[name] = rows + bad.count
        if orphans > 0 { report.orphans[name] = orphans }
        report.badRows += bad.sorted { $0.line < $1.line }
    }
}
