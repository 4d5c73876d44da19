/// One business day's export, validated and joined by msisdn.
///
/// Stored for scale: subscribers in file order; each subscriber's subscriptions and points rows in one contiguous
/// array with offsets (no per-subscriber arrays); usage reduced, per subscriber, to the (service, month) pairs that
/// saw use.
/// Build one with ``SnapshotBuilder``.
public struct Snapshot: Sendable {
    /// Subscribers in file order.
    public let subscribers: [Subscriber]
    let subscriptionGroups: GroupedRows<Subscription>
    let pointsGroups: GroupedRows<PointsRecord>
    /// Per subscriber: ``UsageKey/serviceMonth`` of each usage row with `uses` > 0.
    let usageGroups: GroupedRows<UInt64>
    let positions: UInt64Map
    /// Service codes by the id ``UsageKey`` gives them.
    let serviceCodes: [String]
    /// Rules' own tables (``SnapshotTableDescription``) by file name: `TableRows<Row>` each.
    let tables: [String: any Sendable]

    /// The rows of a rule's table for the subscriber at `index`, in file order (none when the day has no such file).
    public func rows<T: SnapshotTableDescription>(_ table: T, at index: Int) -> ArraySlice<T.Row> {
        guard let rows = tables[table.file] as? TableRows<T.Row> else { return [] }
        return rows.grouped[index]
    }

    /// The subscriptions of the subscriber at `index`, in file order.
    public func subscriptions(at index: Int) -> ArraySlice<Subscription> {
        subscriptionGroups[index]
    }

    /// The points rows of the subscriber at `index`, in file order.
    public func points(at index: Int) -> ArraySlice<PointsRecord> {
        pointsGroups[index]
    }

    /// True when `usage.csv` has a row for the service in `month` with `uses` > 0.
    public func wasUsed(msisdn: String, serviceCode: String, in month: YearMonth) -> Bool {
        wasUsed(number: Msisdn.number(msisdn), serviceCode: serviceCode, in: month)
    }

    /// The same for a number already known as an integer (``Msisdn/number(_:)``).
    public func wasUsed(number: UInt64, serviceCode: String, in month: YearMonth) -> Bool {
        guard let position = positions[number] else { return false }
        return wasUsed(at: Int(position), serviceCode: serviceCode, in: month)
    }

    /// The same for the subscriber at `index` (a scan of that subscriber's few usage facts).
    public func wasUsed(at index: Int, serviceCode: String, in month: YearMonth) -> Bool {
        // The subscriber's few facts are compared by month, then by code (no hashing of the code per service).
        let monthPart = UsageKey(msisdn: 0, service: 0, month: month).serviceMonth
        return usageGroups[index].contains { key in
            let id = Int(key >> 32)
            // `==` first (fast for the short codes), then the bytes: `String` holds canonically equivalent
            // spellings equal, an export's codes are equal only when their bytes are.
            return key & 0xFFFF_FFFF == monthPart && id < serviceCodes.count && serviceCodes[id] == serviceCode
                && serviceCodes[id].utf8.elementsEqual(serviceCode.utf8)
        }
    }

    public var subscriptionCount: Int { subscriptionGroups.rows.count }
    public var pointsCount: Int { pointsGroups.rows.count }

    public init() {
        self = SnapshotBuilder().build()
    }

    init(
        subscribers: [Subscriber], subscriptions: GroupedRows<Subscription>, points: GroupedRows<PointsRecord>,
        usage: GroupedRows<UInt64>, positions: UInt64Map, serviceCodes: [String], tables: [String: any Sendable]
    ) {
        self.subscribers = subscribers
        subscriptionGroups = subscriptions
        pointsGroups = points
        usageGroups = usage
        self.positions = positions
        self.serviceCodes = serviceCodes
        self.tables = tables
    }
}

/// A usage fact packed into 16 bytes: number, service id, month.
public struct UsageKey: Hashable, Sendable {
    public let msisdn: UInt64
    public let serviceMonth: UInt64

    public init(msisdn: UInt64, service: Int32, month: YearMonth) {
        self.msisdn = msisdn
        serviceMonth = UInt64(UInt32(bitPattern: service)) << 32 | UInt64(month.year * 12 + month.month)
    }
}

/// Collects a snapshot row by row, then groups it (``build()``).
public struct SnapshotBuilder: Sendable {
    private var subscribers: [Subscriber] = []
    private var positions = UInt64Map()
    private var subscriptionPositions: [Int32] = []
    private var subscriptionRows: [Subscription] = []
    private var pointsPositions: [Int32] = []
    private var pointsRows: [PointsRecord] = []
    private var grouped: (subscriptions: GroupedRows<Subscription>, points: GroupedRows<PointsRecord>)?
    private var usagePositions: [Int32] = []
    private var usageRows: [UInt64] = []
    private var groupedUsage: GroupedRows<UInt64>?
    public private(set) var serviceIDs: [String: Int32] = [:]
    /// Service codes by number, as a loader numbered them (``setUsage(_:serviceCodes:)``).
    private var loadedServiceCodes: [String]?
    /// Rules' tables by file name: rows added one by one, or grouped by a loader.
    private var tables: [String: any PendingTable] = [:]

    public init() {}

    /// A builder whose number table is sized for about `subscribers` subscribers, with room for `rows` of them
    /// (room never written costs no memory, so it may be generous: the array then never grows by copying).
    package init(subscribers: Int, rows: Int) {
        positions = UInt64Map(capacity: subscribers)
        self.subscribers.reserveCapacity(rows)
    }

    /// Adds a subscriber; `false` when the number is already there.
    @discardableResult
    public mutating func add(_ subscriber: Subscriber) -> Bool {
        add(subscriber, number: Msisdn.number(subscriber.msisdn))
    }

    /// Adds a subscriber whose number is already known as an integer; `false` when it is already there.
    package mutating func add(_ subscriber: Subscriber, number: UInt64) -> Bool {
        guard positions.insert(number, Int32(subscribers.count)) else { return false }
        subscribers.append(subscriber)
        return true
    }

    /// Adds a subscription at a known subscriber position.
    package mutating func add(_ subscription: Subscription, at position: Int32) {
        subscriptionPositions.append(position)
        subscriptionRows.append(subscription)
    }

    /// Adds a points row at a known subscriber position.
    package mutating func add(_ points: PointsRecord, at position: Int32) {
        pointsPositions.append(position)
        pointsRows.append(points)
    }

    /// Records use of a service (by the id the caller gave its code in ``setServiceIDs(_:)``) by a subscriber
    /// already added; `false` for a number not in `subscribers.csv`.
    @discardableResult
    package mutating func addUsage(number: UInt64, serviceID: Int32, month: YearMonth) -> Bool {
        guard let p = positions[number] else { return false }
        usagePositions.append(p)
        usageRows.append(UsageKey(msisdn: number, service: serviceID, month: month).serviceMonth)
        return true
    }

    /// Replaces the code → id map (when the caller numbered the codes itself).
    package mutating func setServiceIDs(_ ids: [String: Int32]) { serviceIDs = ids }

    /// The position of a subscriber, or `nil` for a number not in `subscribers.csv` (an orphan).
    package func position(of msisdn: UInt64) -> Int32? { positions[msisdn] }

    /// Number → position of every subscriber added so far.
    package var subscriberPositions: UInt64Map { positions }

    /// Takes rows grouped elsewhere (on the loading threads) instead of the ones added row by row.
    package mutating func setGrouped(subscriptions: GroupedRows<Subscription>, points: GroupedRows<PointsRecord>) {
        grouped = (subscriptions, points)
    }

    /// Sets the usage facts gathered elsewhere: per subscriber, the ``UsageKey/serviceMonth`` (with the ids of
    /// the service's number in `serviceCodes`) of each service used in a month.
    package mutating func setUsage(_ used: GroupedRows<UInt64>, serviceCodes: [String]) {
        groupedUsage = used
        loadedServiceCodes = serviceCodes
    }

    /// The small integer standing for a service code.
    public mutating func serviceID(_ code: String) -> Int32 {
        if let id = serviceIDs[code] { return id }
        let id = Int32(serviceIDs.count)
        serviceIDs[code] = id
        return id
    }

    /// Adds a subscription of a known subscriber (by number); returns `false` for an orphan.
    @discardableResult
    public mutating func add(_ subscription: Subscription) -> Bool {
        guard let p = positions[Msisdn.number(subscription.msisdn)] else { return false }
        _ = serviceID(subscription.serviceCode)
        add(subscription, at: p)
        return true
    }

    /// Adds a points row of a known subscriber; returns `false` for an orphan.
    @discardableResult
    public mutating func add(_ points: PointsRecord) -> Bool {
        guard let p = positions[Msisdn.number(points.msisdn)] else { return false }
        add(points, at: p)
        return true
    }

    /// Adds a usage row of a known subscriber; returns `false` for an orphan.
    @discardableResult
    public mutating func addUsage(msisdn: String, serviceCode: String, month: YearMonth, uses: Int) -> Bool {
        let n = Msisdn.number(msisdn)
        guard positions[n] != nil else { return false }
        if uses > 0 { addUsage(number: n, serviceID: serviceID(serviceCode), month: month) }
        return true
    }

    /// Adds a row of a rule's table for a known subscriber; returns `false` for an orphan.
    @discardableResult
    public mutating func add<T: SnapshotTableDescription>(_ row: T.Row, to table: T, msisdn: String) -> Bool {
        guard let p = positions[Msisdn.number(msisdn)] else { return false }
        // Taken out while appending, so the arrays are not copied.
        var pending = tables.removeValue(forKey: table.file) as? RowsByPosition<T.Row> ?? RowsByPosition()
        pending.positions.append(p)
        pending.rows.append(row)
        tables[table.file] = pending
        return true
    }

    /// Sets a rule's table as grouped by a loader.
    package mutating func setTable<T: SnapshotTableDescription>(_ table: T, rows: GroupedRows<T.Row>) {
        tables[table.file] = TableRows(rows)
    }

    /// The codes of ``serviceIDs`` by number.
    private func codesByID() -> [String] {
        var codes = [String](repeating: "", count: serviceIDs.count)
        for (code, id) in serviceIDs { codes[Int(id)] = code }
        return codes
    }

    /// Groups rows by subscriber (keeping file order within each subscriber).
    public func build() -> Snapshot {
        let (subscriptions, points) =
            grouped ?? (
                GroupedRows(positions: subscriptionPositions, rows: subscriptionRows, groups: subscribers.count),
                GroupedRows(positions: pointsPositions, rows: pointsRows, groups: subscribers.count)
            )
        let usage = groupedUsage ?? GroupedRows(positions: usagePositions, rows: usageRows, groups: subscribers.count)
        return Snapshot(
            subscribers: subscribers, subscriptions: subscriptions, points: points, usage: usage,
            positions: positions, serviceCodes: loadedServiceCodes ?? codesByID(),
            tables: tables.mapValues { $0.grouped(subscribers.count) })
    }
}

/// A rule's table on its way into a snapshot.
protocol PendingTable: Sendable {
    /// The rows grouped by subscriber (`groups` of them), as a `TableRows<Row>`.
    func grouped(_ groups: Int) -> any Sendable
}

/// Rows added one by one with their subscribers' positions.
struct RowsByPosition<Row: Sendable>: PendingTable {
    var positions: [Int32] = []
    var rows: [Row] = []
    func grouped(_ groups: Int) -> any Sendable { TableRows(GroupedRows(positions: positions, rows: rows, groups: groups)) }
}

extension TableRows: PendingTable {
    func grouped(_ groups: Int) -> any Sendable { self }
}
