/// Finds repeated primary keys among a subscriber's rows: each subscriber's keys are a short chain of the rows kept
/// so far, walked on every insert.
///
/// A snapshot's primary keys all start with the msisdn (`msisdn, service_code`; `msisdn, service_code, month`), and a
/// subscriber has a few rows, so a walk over them is cheaper than a probe into a table of every key in the file (a
/// cache miss per row, and a table of gigabytes at ten million subscribers). A subscriber with an unusual number of
/// rows moves to a hash set, so no file can make the walks quadratic. Rows of no subscriber (orphans) are kept apart,
/// by number, in a hash set of their own.
package struct KeysBySubscriber: Sendable {
    /// Per subscriber: the last row kept plus one (0 for none) in the low half, the chain's length in the high half.
    private var heads: [UInt64]
    /// Per row kept: the previous row of the same subscriber plus one (0 for none).
    private var previous: [UInt32] = []
    /// Per row kept: its key.
    private var keys: [UInt64] = []
    /// Keys of subscribers whose chain grew past ``longChain``, as (position + 1, key).
    private var overflow = PairSet(capacity: 16)
    /// Keys of orphan rows, as (number, key).
    private var orphans = PairSet(capacity: 16)

    /// A chain longer than this moves to the hash set.
    static let longChain: UInt64 = 32

    /// For the subscribers at positions `0..<subscribers`; `rows` is a guess at how many rows will be kept.
    package init(subscribers: Int, rows: Int = 0) {
        heads = [UInt64](repeating: 0, count: subscribers)
        previous.reserveCapacity(rows)
        keys.reserveCapacity(rows)
    }

    /// Adds `key` for a row of `number`, whose subscriber is at `position` (`nil` for an orphan); `false`, and no
    /// change, when a row of that number already had the key. `key` must not be 0 for an orphan.
    package mutating func insert(_ key: UInt64, number: UInt64, at position: Int32?) -> Bool {
        guard let position else { return orphans.insert(number, key) }
        return insert(key, at: position)
    }

    /// Adds `key` for the subscriber at `position`; `false`, and no change, when that subscriber already has it.
    package mutating func insert(_ key: UInt64, at position: Int32) -> Bool {
        let p = Int(position)
        let head = heads[p]
        let length = head >> 32
        if length >= KeysBySubscriber.longChain {
            guard overflow.insert(UInt64(position) + 1, key) else { return false }
            heads[p] = (length + 1) << 32 | (head & 0xFFFF_FFFF)
            return true
        }
        var row = Int(head & 0xFFFF_FFFF)
        while row != 0 {
            if keys[row - 1] == key { return false }
            row = Int(previous[row - 1])
        }
        keys.append(key)
        previous.append(UInt32(truncatingIfNeeded: head))
        heads[p] = (length + 1) << 32 | UInt64(keys.count)
        if length + 1 == KeysBySubscriber.longChain {
            // From now on this subscriber's keys are looked up in the hash set.
            var row = keys.count
            while row != 0 {
                _ = overflow.insert(UInt64(position) + 1, keys[row - 1])
                row = Int(previous[row - 1])
            }
        }
        return true
    }
}
