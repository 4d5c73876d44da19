import Dispatch
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

/// `Parallel.run` gives each side a thread of its own: two pieces of work that each wait for the other finish,
/// whatever order a thread pool would have run them in.
@Suite struct ParallelRunTests {
    @Test(arguments: 0..<20)
    func eachSideMayWaitForTheOther(_ round: Int) {
        let aReady = DispatchSemaphore(value: 0), bReady = DispatchSemaphore(value: 0)
        let (a, b) = Parallel.run(
            { () throws(CancellationError) -> Int in
                aReady.signal()
                bReady.wait()
                return round
            },
            { () throws(CancellationError) -> Int in
                bReady.signal()
                aReady.wait()
                return -round
            })
        #expect((try? a.get()) == round && (try? b.get()) == -round)
    }
}
