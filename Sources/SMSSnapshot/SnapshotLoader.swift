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

    static let brands = FieldParser.Choices(Brand.allCases.map { ($0.rawValue, $0) } + Brand.allCases.map { ($0.chineseName, $0) })
    static let subscriberStatuses = FieldParser.Choices(Subscriber.Status.allCases.map { ($0.rawValue, $0) })
    static let subscriptionStatuses = FieldParser.Choices(Subscription.Status.allCases.map { ($0.rawValue, $0) })
    static let afterTrial = FieldParser.Choices(Subscription.AfterTrial.allCases.map { ($0.rawValue, $0) })

    /// Loads `directory`. Bad rows and orphans are skipped and reported; a missing file or column throws.
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
        // Two threads: subscribers, then subscriptions (they need the subscribers' positions); usage (its keys need
        // no positions), then points and the usage orphans once the positions are there.
        let positions = Handoff<UInt64Map>()
        let parts = Parallel.run(
            { () throws(SnapshotError) -> SubscriptionPart in
                var part: SubscriptionPart
                do throws(SnapshotError) {
                    part = try readSubscribers(directory)
                } catch {
                    positions.publish(nil)
                    throw error
                }
                positions.publish(part.builder.subscriberPositions)
                try readSubscriptions(directory, part.builder.subscriberPositions, into: &part)
                // Grouped here, on this thread, while the other one may still be reading.
                part.grouped = GroupedRows(positions: part.positions, rows: part.rows, groups: part.builder.subscriberPositions.count)
                part.positions = []
                part.rows = []
                return part
            },
            { () throws(SnapshotError) -> UsagePart in
                var part = try readUsage(directory)
                guard let positions = positions.wait() else { return part }
                let orphans = part.used.count { number, _ in positions[number] == nil }
                if orphans > 0 { part.report.orphans[Self.usageFile] = orphans }
                try readPoints(directory, positions, into: &part)
                part.grouped = GroupedRows(positions: part.pointPositions, rows: part.points, groups: positions.count)
                part.pointPositions = []
                part.points = []
                return part
            })
        let a = try parts.0.get()
        let b = try parts.1.get()
        var builder = a.builder
        var report = LoadReport()
        builder.setGrouped(subscriptions: a.grouped ?? GroupedRows(empty: builder.subscriberPositions.count),
                           points: b.grouped ?? GroupedRows(empty: builder.subscriberPositions.count))
        builder.setUsage(b.used, serviceIDs: b.serviceIDs)
        for r in [a.report, b.report] {
            report.badRows += r.badRows
            report.orphans.merge(r.orphans, uniquingKeysWith: +)
            report.rowsRead.merge(r.rowsRead, uniquingKeysWith: +)
        }
        // Bad rows in file order (subscribers, subscriptions, usage, points), then line order.
        let rank = [Self.subscribersFile, Self.subscriptionsFile, Self.usageFile, Self.pointsFile]
        report.badRows.sort { (rank.firstIndex(of: $0.file) ?? 4, $0.line) < (rank.firstIndex(of: $1.file) ?? 4, $1.line) }
        return LoadedSnapshot(snapshot: builder.build(), report: report)
    }

    struct SubscriptionPart: Sendable {
        var builder = SnapshotBuilder()
        var positions: [Int32] = []
        var rows: [Subscription] = []
        var grouped: GroupedRows<Subscription>?
        var report = LoadReport()
    }

    struct UsagePart: Sendable {
        var used = PairSet()
        var serviceIDs: [String: Int32] = [:]
        var pointPositions: [Int32] = []
        var points: [PointsRecord] = []
        var grouped: GroupedRows<PointsRecord>?
        var report = LoadReport()
    }

    private func readSubscribers(_ directory: String) throws(SnapshotError) -> SubscriptionPart {
        typealias Column = FieldParser.Column
        var part = SubscriptionPart()
        var texts = Interner()
        var subscribers = try reader(directory, Self.subscribersFile, required: [
            "msisdn", "brand", "status", "join_date", "avg_monthly_spend", "suspensions", "dnd",
        ])!
        let c = subscribers.columns
        let (msisdn, brand, status, join, spend, suspensions, dnd, city) = (
            Column("msisdn", in: c), Column("brand", in: c), Column("status", in: c), Column("join_date", in: c),
            Column("avg_monthly_spend", in: c), Column("suspensions", in: c), Column("dnd", in: c), Column("city", in: c))
        read(&subscribers, into: &part.report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
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
            return .kept
        }
        return part
    }

    private func readSubscriptions(_ directory: String, _ positions: UInt64Map, into part: inout SubscriptionPart) throws(SnapshotError) {
        typealias Column = FieldParser.Column
        var texts = Interner()
        var codes = Interner()
        var subscriptions = try reader(directory, Self.subscriptionsFile, required: [
            "msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial",
        ])!
        let c = subscriptions.columns
        let (msisdn, code, name, fee, status, trial, after) = (
            Column("msisdn", in: c), Column("service_code", in: c), Column("service_name", in: c), Column("monthly_fee", in: c),
            Column("status", in: c), Column("trial_end", in: c), Column("after_trial", in: c))
        var keys = PairSet(capacity: subscriptions.fileSize / 40)
        part.rows.reserveCapacity(subscriptions.fileSize / 45)
        part.positions.reserveCapacity(subscriptions.fileSize / 45)
        read(&subscriptions, into: &part.report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            let (m, n) = try r.msisdn(msisdn)
            guard let service = codes.string(try r.required(code)) else {
                throw FieldParser.Problem(column: "service_code", reason: "bytes that are not valid UTF-8 (is the file GB18030? use --encoding gb18030)")
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
            guard keys.insert(n, UInt64(UInt32(bitPattern: service.id)) + 1) else { throw duplicate("msisdn, service_code") }
            guard let position = positions[n] else { return .orphan }
            part.positions.append(position)
            part.rows.append(Subscription(msisdn: m, serviceCode: service.string, serviceName: serviceName,
                                          monthlyFee: monthlyFee, status: state, trialEnd: trialEnd, afterTrial: afterTrial))
            return .kept
        }
    }

    /// Usage rows, their keys checked for repeats and marked when used; orphans are counted later, against the
    /// subscribers' positions (a use fact of a number without a subscriber is never looked up).
    private func readUsage(_ directory: String) throws(SnapshotError) -> UsagePart {
        typealias Column = FieldParser.Column
        var part = UsagePart()
        var codes = Interner()
        if var usage = try reader(directory, Self.usageFile, required: ["msisdn", "service_code", "month", "charge", "uses"], optional: true) {
            let c = usage.columns
            let (msisdn, code, month, charge, uses) = (
                Column("msisdn", in: c), Column("service_code", in: c), Column("month", in: c), Column("charge", in: c), Column("uses", in: c))
            // One table for the primary keys and the use facts: a key is marked when the service was used.
            part.used = PairSet(capacity: usage.fileSize / 30)
            read(&usage, into: &part.report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
                let n = try r.msisdnNumber(msisdn)
                guard let service = codes.id(try r.required(code)) else {
                    throw FieldParser.Problem(column: "service_code", reason: "bytes that are not valid UTF-8 (is the file GB18030? use --encoding gb18030)")
                }
                let m = try r.month(month)
                _ = try r.money(charge)
                let count = try r.count(uses)
                let key = UsageKey(msisdn: n, service: service, month: m)
                guard part.used.insert(key.msisdn, key.serviceMonth, marked: count > 0) else {
                    throw duplicate("msisdn, service_code, month")
                }
                return .kept
            }
        }
        part.serviceIDs = codes.ids
        return part
    }

    private func readPoints(_ directory: String, _ positions: UInt64Map, into part: inout UsagePart) throws(SnapshotError) {
        typealias Column = FieldParser.Column
        var points = try reader(directory, Self.pointsFile, required: ["msisdn", "balance", "expiring", "clearing_date"])!
        let c = points.columns
        let (msisdn, balance, expiring, clearing) = (
            Column("msisdn", in: c), Column("balance", in: c), Column("expiring", in: c), Column("clearing_date", in: c))
        var keys = PairSet(capacity: points.fileSize / 30)
        read(&points, into: &part.report) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            let (m, n) = try r.msisdn(msisdn)
            let row = PointsRecord(msisdn: m, balance: try r.count(balance), expiring: try r.count(expiring),
                                   clearingDate: try r.date(clearing))
            guard keys.insert(n, UInt64(bitPattern: Int64(row.clearingDate.dayNumber)) &+ 1 << 40) else {
                throw duplicate("msisdn, clearing_date")
            }
            guard let position = positions[n] else { return .orphan }
            part.pointPositions.append(position)
            part.points.append(row)
            return .kept
        }
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
        let name = reader.name
        bad += reader.forEachRow { row in
            rows += 1
            if rows & 0xFFFF == 0 { progress?(0x10000) }
            do throws(FieldParser.Problem) {
                if try parse(FieldParser(row: row)) == .orphan { orphans += 1 }
            } catch {
                bad.append(BadRow(file: name, line: row.line, column: error.column, reason: error.reason, raw: row.raw))
            }
        }
        report.rowsRead[name] = rows + bad.count
        if orphans > 0 { report.orphans[name] = orphans }
        report.badRows += bad.sorted { $0.line < $1.line }
    }
}

/// Runs two pieces of work at once and returns both results.
enum Parallel {
    static func run<A: Sendable, B: Sendable, E: Error>(
        _ a: @Sendable () throws(E) -> A, _ b: @Sendable () throws(E) -> B
    ) -> (Result<A, E>, Result<B, E>) {
        let box = Box<A, B, E>()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 {
                let r: Result<A, E> = Result { () throws(E) in try a() }
                box.setA(r)
            } else {
                let r: Result<B, E> = Result { () throws(E) in try b() }
                box.setB(r)
            }
        }
        return (box.a!, box.b!)
    }

    /// The two results. `@unchecked Sendable`: each is written by one worker under the lock, read after both end.
    final class Box<A, B, E: Error>: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var a: Result<A, E>?
        private(set) var b: Result<B, E>?
        func setA(_ r: Result<A, E>) { lock.lock(); a = r; lock.unlock() }
        func setB(_ r: Result<B, E>) { lock.lock(); b = r; lock.unlock() }
    }
}

/// A value one thread hands to another once. `@unchecked Sendable`: the semaphore orders the one write before reads.
final class Handoff<T: Sendable>: @unchecked Sendable {
    private var value: T?
    private let ready = DispatchSemaphore(value: 0)

    /// Hands `value` over (`nil` when the producer failed); call once.
    func publish(_ value: T?) {
        self.value = value
        ready.signal()
    }

    /// Waits for the value.
    func wait() -> T? {
        ready.wait()
        ready.signal()
        return value
    }
}
