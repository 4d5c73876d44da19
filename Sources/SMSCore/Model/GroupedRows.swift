/// Rows grouped by subscriber position: the rows of subscriber `i` are `rows[offsets[i] ..< offsets[i + 1]]`, in the
/// order they were given.
public struct GroupedRows<Row: Sendable>: Sendable {
    public let offsets: [Int32]
    public let rows: [Row]

    /// Groups `rows`, whose subscriber positions are `positions` (the same count), for `groups` subscribers.
    ///
    /// Exports usually list rows in subscriber order already; then the rows are taken over as they are (no copy).
    /// Otherwise a counting sort places them, keeping the given order within each subscriber. Inlinable, so that it
    /// is specialised for the caller's row type (generic, each row's copy went through the type's metadata).
    @inlinable
    public init(positions: [Int32], rows: [Row], groups: Int) {
        precondition(positions.count == rows.count, "one position per row")
        var offsets = [Int32](repeating: 0, count: groups + 1)
        var sorted = true
        var last: Int32 = 0
        for p in positions {
            offsets[Int(p) + 1] += 1
            if p < last { sorted = false }
            last = p
        }
        for i in 0..<groups { offsets[i + 1] += offsets[i] }
        self.offsets = offsets
        if sorted {
            self.rows = rows
            return
        }
        var next = offsets
        self.rows = [Row](unsafeUninitializedCapacity: rows.count) { buffer, count in
            for (p, row) in zip(positions, rows) {
                (buffer.baseAddress! + Int(next[Int(p)])).initialize(to: row)
                next[Int(p)] += 1
            }
            count = rows.count
        }
    }

    /// Rows already grouped (no rows at all for `groups` subscribers when empty).
    @inlinable
    public init(empty groups: Int) {
        offsets = [Int32](repeating: 0, count: groups + 1)
        rows = []
    }

    /// The rows of subscriber `i`.
    @inlinable
    public subscript(i: Int) -> ArraySlice<Row> {
        rows[Int(offsets[i])..<Int(offsets[i + 1])]
    }
}
