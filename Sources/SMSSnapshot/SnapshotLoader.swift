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
    /// The rules' own files read besides the four above: those of the enabled rules (``RuleRegistry/tables(enabled:)``).
    let tables: [any SnapshotTableDescription]

    /// A loader for the rules of `registry` that `enabled` names (`nil`: all of them); a disabled rule's file is not
    /// read, so its bad rows cannot stop a night that does not use it.
    public init(options: SnapshotOptions = SnapshotOptions(), registry: RuleRegistry = .standard, enabled: Set<RuleKind>? = nil) {
        self.options = options
        tables = registry.tables(enabled: enabled)
    }

    static let brands = FieldParser.Choices(Brand.allCases.map { ($0.rawValue, $0) } + Brand.allCases.map { ($0.chineseName, $0) })
    static let subscriberStatuses = FieldParser.Choices(Subscriber.Status.allCases.map { ($0.rawValue, $0) })
    static let subscriptionStatuses = FieldParser.Choices(Subscription.Status.allCases.map { ($0.rawValue, $0) })
    static let afterTrial = FieldParser.Choices(Subscription.AfterTrial.allCases.map { ($0.rawValue, $0) })

    /// Loads `directory`. Bad rows and orphans are skipped and reported; a missing file or column throws.
    /// Two threads: subscribers, then subscriptions; usage, then points, then the rules' own files.
    public func load(directory: String, progress: (@Sendable (Int) -> Void)? = nil) throws(SnapshotError) -> LoadedSnapshot {
        var copy = self
        copy.progress = progress
        return try copy.loadAll(directory: directory)
    }

    /// Told of rows read, in steps of 65,536 (for a progress line).
    var progress: (@Sendable (Int) -> Void)?

    private func loadAll(directory: String) throws(SnapshotError) -> LoadedSnapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingDirectory(directory)
        }
        // Two threads: subscribers, then subscriptions (they need the subscribers' positions); usage (parsed before
        // the positions are there, joined to them after), then points.
        let positions = Handoff<PositionFinder>()
        let parts = Parallel.run(
            { () throws(SnapshotError) -> SubscriptionPart in
                var part: SubscriptionPart
                do throws(SnapshotError) {
                    part = try readSubscribers(directory)
                } catch {
                    positions.publish(nil)
                    throw error
                }
                let finder = PositionFinder(positions: part.builder.subscriberPositions, numbers: part.numbers)
                part.numbers = []
                positions.publish(finder)
                try readSubscriptions(directory, finder, into: &part)
                // Grouped here, on this thread, while the other one may still be reading.
                part.grouped = GroupedRows(positions: part.positions, rows: part.rows, groups: part.builder.subscriberPositions.count)
                part.positions = []
                part.rows = []
                return part
            },
            { () throws(SnapshotError) -> UsagePart in
                var part = try readUsage(directory)
                guard let positions = positions.wait() else { return part }
                try joinUsage(&part, positions, directory)
                try readPoints(directory, positions, into: &part)
                part.grouped = GroupedRows(positions: part.pointPositions, rows: part.points, groups: positions.numbers.count)
                part.pointPositions = []
                part.points = []
                for table in tables {
                    if let read = try readTable(table, directory, positions) { part.tables.append(read) }
                }
                return part
            })
        let a = try parts.0.get()
        let b = try parts.1.get()
        var builder = a.builder
        var report = LoadReport()
        builder.setGrouped(
            subscriptions: a.grouped ?? GroupedRows(empty: builder.subscriberPositions.count),
            points: b.grouped ?? GroupedRows(empty: builder.subscriberPositions.count))
        builder.setUsage(b.usage ?? GroupedRows(empty: builder.subscriberPositions.count), serviceCodes: b.serviceCodes)
        for r in [a.report, b.report] {
            report.badRows += r.badRows
            report.orphans.merge(r.orphans, uniquingKeysWith: +)
            report.rowsRead.merge(r.rowsRead, uniquingKeysWith: +)
        }
        // The rules' own files, read on the second thread after the points.
        for table in b.tables {
            table.add(&builder)
            report.badRows += table.report.badRows
            report.orphans.merge(table.report.orphans, uniquingKeysWith: +)
            report.rowsRead.merge(table.report.rowsRead, uniquingKeysWith: +)
        }
        // Bad rows in file order (subscribers, subscriptions, usage, points, the rules' files), then line order.
        let rank = [Self.subscribersFile, Self.subscriptionsFile, Self.usageFile, Self.pointsFile] + tables.map(\.file)
        report.badRows.sort { (rank.firstIndex(of: $0.file) ?? rank.count, $0.line) < (rank.firstIndex(of: $1.file) ?? rank.count, $1.line) }
        return LoadedSnapshot(snapshot: builder.build(), report: report)
    }

    struct SubscriptionPart: Sendable {
        var builder = SnapshotBuilder()
        /// Subscriber numbers by position (handed to the other thread's ``PositionFinder``).
        var numbers: [UInt64] = []
        var positions: [Int32] = []
        var rows: [Subscription] = []
        var grouped: GroupedRows<Subscription>?
        var report = LoadReport()
    }

    struct UsagePart: Sendable {
        /// Usage rows as parsed, before the join: number, ``UsageKey/serviceMonth`` (with ``usedMark`` when
        /// `uses` > 0) and line.
        var numbers: [UInt64] = []
        var keys: [UInt64] = []
        var lines: [Int32] = []
        /// Per subscriber, the services used in a month (after the join).
        var usage: GroupedRows<UInt64>?
        /// Usage's service codes by the number its keys carry.
        var serviceCodes: [String] = []
        var pointPositions: [Int32] = []
        var points: [PointsRecord] = []
        var grouped: GroupedRows<PointsRecord>?
        /// The rules' own files (``RuleRegistry/tables(enabled:)``), read after the points.
        var tables: [TablePart] = []
        var report = LoadReport()
    }

    private func readSubscribers(_ directory: String) throws(SnapshotError) -> SubscriptionPart {
        typealias Column = FieldParser.Column
        var part = SubscriptionPart()
        var texts = Interner()
        let required = ["msisdn", "brand", "status", "join_date", "avg_monthly_spend", "suspensions", "dnd"]
        var subscribers = try reader(directory, Self.subscribersFile, required: required)!
        // Sized from the file (a row takes 45–60 bytes), the number table rarely grows (a rehash of millions) and
        // stays no larger than it must: a smaller table misses the cache less on every lookup that follows.
        part.builder = SnapshotBuilder(subscribers: subscribers.fileSize / 64 + 16, rows: subscribers.fileSize / 40 + 16)
        part.numbers.reserveCapacity(subscribers.fileSize / 40 + 16)
        let c = subscribers.columns
        let (msisdn, brand, status, join, spend, suspensions, dnd, city) = (
            Column("msisdn", in: c), Column("brand", in: c), Column("status", in: c), Column("join_date", in: c),
            Column("avg_monthly_spend", in: c), Column("suspensions", in: c), Column("dnd", in: c), Column("city", in: c)
        )
        let limits = FieldLimits(columns: c, named: required + ["city"], text: ["city"])
        read(&subscribers, limits, into: &part.report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            let (m, n) = try r.msisdn(msisdn)
            let s = Subscriber(
                msisdn: m,
                brand: try r.choice(brand, Self.brands, expected: "gotone, mzone, easyown, 全球通, 动感地带, 神州行"),
                status: try r.choice(status, Self.subscriberStatuses, expected: "active, suspended, closed"),
                joinDate: try r.date(join),
                avgMonthlySpend: try r.money(spend),
                suspensions: try r.count(suspensions),
                dnd: try r.flag(dnd),
                city: try r.optionalText(city, &texts))
            guard part.builder.add(s, number: n) else { throw duplicate("msisdn") }
            part.numbers.append(n)
            return .kept
        }
        guard part.report.rowsRead[Self.subscribersFile, default: 0] > 0 else {
            throw .noRows((directory as NSString).appendingPathComponent(Self.subscribersFile))
        }
        return part
    }

    private func readSubscriptions(_ directory: String, _ finder: PositionFinder, into part: inout SubscriptionPart) throws(SnapshotError) {
        var finder = finder
        typealias Column = FieldParser.Column
        var texts = Interner()
        var codes = Interner()
        let required = ["msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial"]
        var subscriptions = try reader(directory, Self.subscriptionsFile, required: required)!
        let c = subscriptions.columns
        let (msisdn, code, name, fee, status, trial, after) = (
            Column("msisdn", in: c), Column("service_code", in: c), Column("service_name", in: c), Column("monthly_fee", in: c),
            Column("status", in: c), Column("trial_end", in: c), Column("after_trial", in: c)
        )
        var keys = KeysBySubscriber(subscribers: finder.numbers.count, rows: subscriptions.fileSize / 45)
        part.rows.reserveCapacity(subscriptions.fileSize / 45)
        part.positions.reserveCapacity(subscriptions.fileSize / 45)
        let limits = FieldLimits(columns: c, named: required, text: ["service_name"])
        read(&subscriptions, limits, into: &part.report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            let (m, n) = try r.msisdn(msisdn)
            guard let service = codes.string(try r.required(code)) else {
                throw FieldParser.Problem(
                    column: "service_code", reason: "bytes that are not valid UTF-8 (is the file GB18030? use --encoding gb18030)")
            }
            let serviceName = try r.text(name, &texts)
            let monthlyFee = try r.money(fee)
            let state = try r.choice(status, Self.subscriptionStatuses, expected: "active, cancelled")
            let trialEnd = try r.optionalDate(trial)
            var afterTrial: Subscription.AfterTrial?
            if trialEnd != nil {
                afterTrial = try r.choice(after, Self.afterTrial, expected: "renew, lapse")
            } else if !r.bytes(after).isEmpty {
                throw FieldParser.Problem(column: "after_trial", reason: "must be empty when trial_end is empty")
            }
            let position = finder.position(of: n)
            guard keys.insert(UInt64(UInt32(bitPattern: service.id)) + 1, number: n, at: position) else {
                throw duplicate("msisdn, service_code")
            }
            guard let position else { return .orphan }
            part.positions.append(position)
            part.rows.append(
                Subscription(
                    msisdn: m, serviceCode: service.string, serviceName: serviceName,
                    monthlyFee: monthlyFee, status: state, trialEnd: trialEnd, afterTrial: afterTrial))
            return .kept
        }
    }

    /// Usage rows as parsed, each key marked when the service was used; repeats and orphans are found later, once
    /// the subscribers' positions are known (``joinUsage``).
    private func readUsage(_ directory: String) throws(SnapshotError) -> UsagePart {
        typealias Column = FieldParser.Column
        var part = UsagePart()
        var codes = Interner()
        let required = ["msisdn", "service_code", "month", "charge", "uses"]
        if var usage = try reader(directory, Self.usageFile, required: required, optional: true) {
            let c = usage.columns
            let (msisdn, code, month, charge, uses) = (
                Column("msisdn", in: c), Column("service_code", in: c), Column("month", in: c), Column("charge", in: c), Column("uses", in: c)
            )
            // Kept as parsed: repeated keys are found per subscriber once the positions are known (``joinUsage``).
            part.numbers.reserveCapacity(usage.fileSize / 30)
            part.keys.reserveCapacity(usage.fileSize / 30)
            part.lines.reserveCapacity(usage.fileSize / 30)
            read(&usage, FieldLimits(columns: c, named: required), into: &part.report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
                let n = try r.msisdnNumber(msisdn)
                guard let service = codes.id(try r.required(code)) else {
                    throw FieldParser.Problem(
                        column: "service_code", reason: "bytes that are not valid UTF-8 (is the file GB18030? use --encoding gb18030)")
                }
                let m = try r.month(month)
                _ = try r.money(charge)
                let count = try r.count(uses)
                let key = UsageKey(msisdn: n, service: service, month: m).serviceMonth
                part.numbers.append(n)
                part.keys.append(count > 0 ? key | Self.usedMark : key)
                part.lines.append(Int32(truncatingIfNeeded: r.row.line))
                return .kept
            }
        }
        part.serviceCodes = codes.strings
        return part
    }

    /// Marks a usage row whose service was used (the key itself leaves the top bit clear).
    static let usedMark: UInt64 = 1 << 63

    /// Joins the parsed usage rows to the subscribers: finds repeated keys per subscriber (orphans among themselves),
    /// counts orphans, and groups the used services per subscriber. Repeated rows become bad rows, their text read
    /// again from the file (they are rare).
    private func joinUsage(_ part: inout UsagePart, _ finder: PositionFinder, _ directory: String) throws(SnapshotError) {
        var finder = finder
        var keys = KeysBySubscriber(subscribers: finder.numbers.count, rows: part.numbers.count)
        var orphans = 0
        var repeated = Set<Int>()
        var usedPositions: [Int32] = []
        var usedKeys: [UInt64] = []
        let used = part.keys.reduce(0) { $0 + Int($1 >> 63) }
        usedPositions.reserveCapacity(used)
        usedKeys.reserveCapacity(used)
        for i in part.numbers.indices {
            let n = part.numbers[i]
            let key = part.keys[i] & ~Self.usedMark
            let position = finder.position(of: n)
            guard keys.insert(key, number: n, at: position) else {
                repeated.insert(Int(part.lines[i]))
                continue
            }
            if let position {
                if part.keys[i] & Self.usedMark != 0 {
                    usedPositions.append(position)
                    usedKeys.append(key)
                }
            } else {
                orphans += 1
            }
        }
        part.numbers = []
        part.keys = []
        part.lines = []
        part.usage = GroupedRows(positions: usedPositions, rows: usedKeys, groups: finder.numbers.count)
        if orphans > 0 { part.report.orphans[Self.usageFile] = orphans }
        guard !repeated.isEmpty, var usage = try reader(directory, Self.usageFile, required: []) else { return }
        let problem = duplicate("msisdn, service_code, month")
        _ = usage.forEachRow { row in
            guard repeated.contains(row.line) else { return }
            part.report.badRows.append(
                BadRow(
                    file: Self.usageFile, line: row.line, column: problem.column,
                    reason: problem.reason, raw: row.raw))
        }
    }

    private func readPoints(_ directory: String, _ finder: PositionFinder, into part: inout UsagePart) throws(SnapshotError) {
        var finder = finder
        typealias Column = FieldParser.Column
        let required = ["msisdn", "balance", "expiring", "clearing_date"]
        var points = try reader(directory, Self.pointsFile, required: required)!
        let c = points.columns
        let (msisdn, balance, expiring, clearing) = (
            Column("msisdn", in: c), Column("balance", in: c), Column("expiring", in: c), Column("clearing_date", in: c)
        )
        var keys = KeysBySubscriber(subscribers: finder.numbers.count, rows: points.fileSize / 30)
        read(&points, FieldLimits(columns: c, named: required), into: &part.report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            let (m, n) = try r.msisdn(msisdn)
            let row = PointsRecord(
                msisdn: m, balance: try r.count(balance), expiring: try r.count(expiring),
                clearingDate: try r.date(clearing))
            let position = finder.position(of: n)
            guard keys.insert(UInt64(bitPattern: Int64(row.clearingDate.dayNumber)) &+ 1 << 40, number: n, at: position) else {
                throw duplicate("msisdn, clearing_date")
            }
            guard let position else { return .orphan }
            part.pointPositions.append(position)
            part.points.append(row)
            return .kept
        }
    }

    private func duplicate(_ key: String) -> FieldParser.Problem {
        FieldParser.Problem(column: key, reason: "repeats a primary key (\(key)) already seen in an earlier row")
    }

    func reader(_ directory: String, _ name: String, required: [String], optional: Bool = false) throws(SnapshotError) -> CSVReader? {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            if optional { return nil }
            throw .missingFile(path)
        }
        return try CSVReader(path: path, name: name, encoding: options.encoding, delimiter: options.delimiter, required: required)
    }

    enum RowOutcome { case kept, orphan }

    /// The row as read, with the values of the `secret` columns masked (each occurrence of one).
    static func masked(_ row: CSVReader.View, _ secret: [Int]) -> String {
        var raw = row.raw
        for i in secret where i < row.count {
            let value = String(decoding: row.field(i), as: UTF8.self)
            if !value.isEmpty { raw = raw.replacingOccurrences(of: value, with: String(repeating: "*", count: min(value.count, 8))) }
        }
        return raw
    }

    /// Runs `parse` over every row whose fields are within `limits`: a field beyond them or a thrown problem makes a
    /// bad row; `.orphan` counts an orphan.
    func read(
        _ reader: inout CSVReader, _ limits: FieldLimits, into report: inout LoadReport, secret: [Int] = [],
        _ parse: (FieldParser) throws(FieldParser.Problem) -> RowOutcome
    ) {
        var bad: [BadRow] = []
        var rows = 0
        var orphans = 0
        let name = reader.name
        var unsplit = reader.forEachRow { row in
            rows += 1
            if rows & 0xFFFF == 0 { progress?(0x10000) }
            do throws(FieldParser.Problem) {
                if let problem = limits.problem(in: row) { throw problem }
                if try parse(FieldParser(row: row)) == .orphan { orphans += 1 }
            } catch {
                bad.append(
                    BadRow(
                        file: name, line: row.line, column: error.column, reason: error.reason,
                        raw: secret.isEmpty ? row.raw : Self.masked(row, secret)))
            }
        }
        // A row that could not be split cannot have its secret fields masked: it is not copied.
        if !secret.isEmpty {
            for i in unsplit.indices { unsplit[i].raw = "(not copied: the row may hold a secret field)" }
        }
        // Rows the reader could not split never reached `parse`; the others are counted in `rows` already.
        report.rowsRead[name] = rows + unsplit.count
        bad += unsplit
        if orphans > 0 { report.orphans[name] = orphans }
        report.badRows += bad.sorted { $0.line < $1.line }
    }
}
