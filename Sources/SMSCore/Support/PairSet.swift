/// A set of (UInt64, UInt64) pairs with open addressing and a multiplicative hash: several times faster than
/// `Set` with SipHash for the millions of primary keys a snapshot holds. The pair (0, 0) cannot be stored. Each pair
/// may carry a mark (a usage key: seen, and used), so one table answers both questions.
public struct PairSet: Sendable {
    struct Pair { var a: UInt64; var b: UInt64 }
    private var slots: [Pair]
    private var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 1024) {
        let size = tableSize(for: capacity)
        slots = HugePages.array(repeating: Pair(a: 0, b: 0), count: size)
        mask = size - 1
    }

    @inline(__always)
    static func slot(_ a: UInt64, _ b: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: mix(a ^ mix(b &+ 0x632B_E59B_D9B4_E019))) & mask
    }

    /// The top bit of `b`, kept apart as a mark: a pair is found whatever its mark.
    static let markBit: UInt64 = 1 << 63

    /// Inserts the pair (with a mark when `marked`); `false`, and no change, when it was already there.
    /// `b` must leave its top bit clear.
    public mutating func insert(_ a: UInt64, _ b: UInt64, marked: Bool = false) -> Bool {
        precondition(a != 0 || b != 0, "PairSet cannot hold (0, 0)")
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let mask = self.mask
        let stored = marked ? b | PairSet.markBit : b
        let inserted: Bool = slots.withUnsafeMutableBufferPointer { s in
            var i = PairSet.slot(a, b, mask)
            while true {
                let p = s[i]
                if p.a == 0 && p.b == 0 {
                    s[i] = Pair(a: a, b: stored)
                    return true
                }
                if p.a == a && p.b & ~PairSet.markBit == b { return false }
                i = (i + 1) & mask
            }
        }
        if inserted { count += 1 }
        return inserted
    }

    /// How many pairs satisfy `predicate` (given each pair without its mark).
    public func count(where predicate: (UInt64, UInt64) -> Bool) -> Int {
        slots.withUnsafeBufferPointer { s in
            var n = 0
            for p in s where (p.a != 0 || p.b != 0) && predicate(p.a, p.b & ~PairSet.markBit) { n += 1 }
            return n
        }
    }

    /// True when the pair is there, marked or not.
    public func contains(_ a: UInt64, _ b: UInt64) -> Bool { find(a, b) != nil }

    /// True when the pair is there with a mark.
    public func containsMarked(_ a: UInt64, _ b: UInt64) -> Bool { find(a, b) ?? false }

    /// Whether the pair is marked, or `nil` when it is not there.
    private func find(_ a: UInt64, _ b: UInt64) -> Bool? {
        slots.withUnsafeBufferPointer { s in
            var i = PairSet.slot(a, b, mask)
            while true {
                let p = s[i]
                if p.a == 0 && p.b == 0 { return nil }
                if p.a == a && p.b & ~PairSet.markBit == b { return p.b & PairSet.markBit != 0 }
                i = (i + 1) & mask
            }
        }
    }

    private mutating func grow() {
        var bigger = PairSet(capacity: slots.count)
        for p in slots where p.a != 0 || p.b != 0 {
            _ = bigger.insert(p.a, p.b & ~PairSet.markBit, marked: p.b & PairSet.markBit != 0)
        }
        self = bigger
    }
}

/// A map from UInt64 keys (never 0) to Int32 values, with open addressing.
public struct UInt64Map: Sendable {
    /// Key and value side by side: a lookup touches one cache line, not one in each of two arrays.
    struct Entry { var key: UInt64; var value: Int32 }
    private var slots: [Entry]
    private var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 1024) {
        let size = tableSize(for: capacity)
        slots = HugePages.array(repeating: Entry(key: 0, value: 0), count: size)
        mask = size - 1
    }

    @inline(__always)
    static func slot(_ k: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: mix(k)) & mask
    }

    public subscript(key: UInt64) -> Int32? {
        slots.withUnsafeBufferPointer { s in
            var i = UInt64Map.slot(key, mask)
            while true {
                let e = s[i]
                if e.key == 0 { return nil }
                if e.key == key { return e.value }
                i = (i + 1) & mask
            }
        }
    }

    /// Inserts `value` for a new key; `false` (and no change) when the key is there.
    public mutating func insert(_ key: UInt64, _ value: Int32) -> Bool {
        precondition(key != 0, "UInt64Map cannot hold key 0")
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let mask = self.mask
        let inserted: Bool = slots.withUnsafeMutableBufferPointer { s in
            var i = UInt64Map.slot(key, mask)
            while true {
                let k = s[i].key
                if k == 0 {
                    s[i] = Entry(key: key, value: value)
                    return true
                }
                if k == key { return false }
                i = (i + 1) & mask
            }
        }
        if inserted { count += 1 }
        return inserted
    }

    private mutating func grow() {
        var bigger = UInt64Map(capacity: slots.count)
        for e in slots where e.key != 0 { _ = bigger.insert(e.key, e.value) }
        self = bigger
    }
}

/// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
@inline(__always)
func mix(_ x: UInt64) -> UInt64 {
    var h = x
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h = h &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
}

/// A power of two at least twice `capacity` (and at least 16): open-addressing tables stay under half full.
func tableSize(for capacity: Int) -> Int {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    return size
}
