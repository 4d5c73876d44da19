import SMSCore
import Testing

@Suite struct GroupedRowsTests {
    @Test(arguments: [
        // Already in subscriber order (taken over as is), and shuffled (placed by a counting sort).
        [0, 0, 1, 3, 3, 3],
        [3, 0, 3, 1, 0, 3],
        [2, 2, 2, 2, 2, 2],
    ])
    func groupsKeepTheGivenOrderWithinEachSubscriber(positions: [Int32]) {
        let rows = positions.indices.map { "row\($0)" }
        let grouped = GroupedRows(positions: positions, rows: rows, groups: 4)
        for subscriber in 0..<4 {
            let expected = positions.indices.filter { positions[$0] == Int32(subscriber) }.map { "row\($0)" }
            #expect(Array(grouped[subscriber]) == expected, "subscriber \(subscriber)")
        }
        #expect(grouped.rows.count == rows.count)
    }

    @Test func noRowsGivesEmptyGroups() {
        let grouped = GroupedRows<String>(positions: [], rows: [], groups: 3)
        #expect((0..<3).allSatisfy { grouped[$0].isEmpty })
        #expect(GroupedRows<String>(empty: 3)[2].isEmpty)
    }
}
