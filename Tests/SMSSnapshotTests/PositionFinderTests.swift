import SMSCore
import Testing

@testable import SMSSnapshot

@Suite struct PositionFinderTests {
    static let numbers: [UInt64] = [13800000005, 13800000001, 13800000009, 13800000003, 13800000007]

    static func finder() -> PositionFinder {
        var map = UInt64Map()
        for (i, n) in numbers.enumerated() { _ = map.insert(n, Int32(i)) }
        return PositionFinder(positions: map, numbers: numbers)
    }

    /// Rows in subscriber order (with repeats, gaps and orphans) and rows in no order find the same positions.
    @Test(arguments: [
        [0, 0, 1, 1, 1, 2, 3, 3, 4],
        [0, 2, 4],
        [-1, 0, -1, 1, 1, -1, 4, -1],
        [4, 1, 3, 0, 2, 2, 0, 4],
        [3, 4, 0, 1, 2, 3, 4, 0],
    ])
    func findsEveryRowsSubscriberWhateverTheOrder(rows: [Int]) {
        var finder = Self.finder()
        for r in rows {
            let number = r < 0 ? 13900000000 + UInt64(-r) : Self.numbers[r]
            #expect(finder.position(of: number) == (r < 0 ? nil : Int32(r)), "row of subscriber \(r)")
        }
    }
}
