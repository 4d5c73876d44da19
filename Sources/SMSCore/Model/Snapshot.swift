/// One business day's export, validated and joined by msisdn.
///
/// Stored for scale: subscribers in file order; each subscriber's subscriptions and points rows in one contiguous
/// array with offsets (no per-subscriber arrays); usage reduced to the set of (number, service, month) that saw use.
/// Build one with ``SnapshotBuilder``.
public struct Snapshot: Sendable {
    /// Subscribers in file order.
    public let subscribers: [Subscriber]
    let subscriptionOffsets: [Int32]
    let subscriptionRows: [Subscription]
    let pointsOffsets: [Int32]
    let pointsRows: [PointsRecord]
    let used: PairSet
    let serviceIDs: [String: Int32]

    /// The subscriptions of the subscriber at `index`, in file order.
    public func subscriptions(at index: Int) -> ArraySlice<Subscription> {
        subscriptionRows[Int(subscriptionOffsets[index])..<Int(subscriptionOffsets[index + 1])]
    }

    /// The points rows of the subscriber at `index`, in file order.
    public func points(at index: Int) -> ArraySlice<PointsRecord> {
        pointsRows[Int(pointsOffsets[index])..<Int(pointsOffsets[index + 1])]
    }

    /// True when `usage.csv` has a row for the service in `month` with `uses` > 0.
    public func wasUsed(msisdn: String, serviceCode: String, in month: YearMonth) -> Bool {
        wasUsed(number: Msisdn.number(msisdn), serviceCode: serviceCode, in: month)
    }

    /// The same for a number already known as an integer (``Msisdn/number(_:)``).
    public func wasUsed(number: UInt64, serviceCode: String, in month: YearMonth) -> Bool {
        guard let id = serviceIDs[serviceCode] else { return false }
        let key = UsageKey(msisdn: number, service: id, month: month)
        return used.containsMarked(key.msisdn, key.serviceMonth)
    }

    public var subscriptionCount: Int { subscriptionRows.count }
    public var pointsCount: Int { pointsRows.count }

    public init() {
        self = SnapshotBuilder().build()
    }

    init(subscribers: [Subscriber], subscriptionOffsets: [Int32], subscriptionRows: [Subscription],
         pointsOffsets: [Int32], pointsRows: [PointsRecord], used: PairSet, serviceIDs: [String: Int32]) {
        self.subscribers = subscribers
        self.subscriptionOffsets = subscriptionOffsets
        self.subscriptionRows = subscriptionRows
        self.pointsOffsets = pointsOffsets
        self.pointsRows = pointsRows
        self.used = used
        self.serviceIDs = serviceIDs
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
    private var subscriptionRows: [(Int32, Subscription)] = []
    private var pointsRows: [(Int32, PointsRecord)] = []
    private var used = PairSet()
    public private(set) var serviceIDs: [String: Int32] = [:]

    public init() {}

    /// Adds a subscriber; `false` when the number is already there.
    @discardableResult
    public mutating func add(_ subscriber: Subscriber) -> Bool {
        add(subscriber, number: Msisdn.number(subscriber.msisdn))
    }

    /// Adds a subscriber whose number is already known as an integer; `false` when it is already there.
    public mutating func add(_ subscriber: Subscriber, number: UInt64) -> Bool {
        guard positions.insert(number, Int32(subscribers.count)) else { return false }
        subscribers.append(subscriber)
        return true
    }

    /// Adds a subscription at a known subscriber position.
    public mutating func add(_ subscription: Subscription, at position: Int32) {
        subscriptionRows.append((position, subscription))
    }

    /// Adds a points row at a known subscriber position.
    public mutating func add(_ points: PointsRecord, at position: Int32) {
        pointsRows.append((position, points))
    }

    /// Records use of a service (by the id the caller gave its code in ``setServiceIDs(_:)``).
    public mutating func addUsage(number: UInt64, serviceID: Int32, month: YearMonth) {
        let key = UsageKey(msisdn: number, service: serviceID, month: month)
        _ = used.insert(key.msisdn, key.serviceMonth, marked: true)
    }

    /// Replaces the code → id map (when the caller numbered the codes itself).
    public mutating func setServiceIDs(_ ids: [String: Int32]) { serviceIDs = ids }

    /// The position of a subscriber, or `nil` for a number not in `subscribers.csv` (an orphan).
    public func position(of msisdn: UInt64) -> Int32? { positions[msisdn] }

    /// Number → position of every subscriber added so far.
    public var subscriberPositions: UInt64Map { positions }

    /// Adds subscription rows gathered elsewhere (e.g. on another thread), with their positions.
    public mutating func add(subscriptions rows: [(Int32, Subscription)]) {
        // Taking over the array when there is nothing yet avoids copying (and retaining) millions of rows.
        if subscriptionRows.isEmpty { subscriptionRows = rows } else { subscriptionRows += rows }
    }

    /// Adds points rows gathered elsewhere, with their positions.
    public mutating func add(points rows: [(Int32, PointsRecord)]) {
        if pointsRows.isEmpty { pointsRows = rows } else { pointsRows += rows }
    }

    /// Sets the usage facts gathered elsewhere, keyed with the ids of `serviceIDs`: a service was used in a month
    /// when its key is there with a mark.
    public mutating func setUsage(_ used: PairSet, serviceIDs: [String: Int32]) {
        self.used = used
        self.serviceIDs = serviceIDs
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
        subscriptionRows.append((p, subscription))
        return true
    }

    /// Adds a points row of a known subscriber; returns `false` for an orphan.
    @discardableResult
    public mutating func add(_ points: PointsRecord) -> Bool {
        guard let p = positions[Msisdn.number(points.msisdn)] else { return false }
        pointsRows.append((p, points))
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

    /// Groups rows by subscriber (a counting sort that keeps file order within each subscriber).
    public func build() -> Snapshot {
        func group<T>(_ rows: [(Int32, T)]) -> ([Int32], [T]) {
            var offsets = [Int32](repeating: 0, count: subscribers.count + 1)
            for (p, _) in rows { offsets[Int(p) + 1] += 1 }
            for i in 0..<subscribers.count { offsets[i + 1] += offsets[i] }
            var next = offsets
            let out = [T](unsafeUninitializedCapacity: rows.count) { buffer, count in
                for (p, row) in rows {
                    (buffer.baseAddress! + Int(next[Int(p)])).initialize(to: row)
                    next[Int(p)] += 1
                }
                count = rows.count
            }
            return (offsets, out)
        }
        let (so, sr) = group(subscriptionRows)
        let (po, pr) = group(pointsRows)
        return Snapshot(subscribers: subscribers, subscriptionOffsets: so, subscriptionRows: sr,
                        pointsOffsets: po, pointsRows: pr, used: used, serviceIDs: serviceIDs)
    }
}
