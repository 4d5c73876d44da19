/// A map from UInt64 keys (never 0) to Int32 values, with open addressing.
package struct UInt64Map: Sendable {
    /// Key and value side by side: a lookup touches one cache line, not one in each of two arrays.
    struct Entry { var key: UInt64; var value: Int32 }
    private var slots: [Entry]
    private var mask: Int
    package private(set) var count = 0

    package init(capacity: Int = 1024) {
        let size = tableSize(for: capacity)
        slots = HugePages.array(repeating: Entry(key: 0, value: 0), count: size)
        mask = size - 1
    }

    @inline(__always)
    static func slot(_ k: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: mix(k)) & mask
    }

    package subscript(key: UInt64) -> Int32? {
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
    package mutating func insert(_ key: UInt64, _ value: Int32) -> Bool {
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
