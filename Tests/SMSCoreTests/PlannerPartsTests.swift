import Testing

@testable import SMSCore

/// Planning in parts (one per core) and merging gives exactly what one pass gives; shards partition the plan.
@Suite struct PlannerPartsTests {
    static let world: World = {
        var w = World()
        for i in 0..<400 {
            let msisdn = "139" + String(10_000_000 + i * 7_919)
            w.subscriber(
                msisdn, brand: [.gotone, .mzone, .easyown][i % 3], status: i % 17 == 0 ? .suspended : .active,
                dnd: i % 11 == 0)
            w.service(msisdn, "S\(i % 7)", fee: String(i % 9))
            if i % 3 == 0 { w.service(msisdn, "T\(i % 5)", trialEnd: "2026-12-0\(1 + i % 7)") }
            if i % 4 == 0 { w.points(msisdn, expiring: 100 * (i % 13), on: "2026-12-31") }
            if i % 5 == 0 { w.used(msisdn, "S\(i % 7)", "2026-11", uses: i % 2) }
        }
        return w
    }()

    @Test(arguments: [2, 3, 7])
    func partsMergeToTheSinglePass(parts: Int) {
        let snapshot = Self.world.snapshot
        let planner = Planner(asOf: CalendarDate("2026-11-30")!)
        let whole = planner.plan(snapshot, history: InMemoryKeyHistory())
        #expect(whole.entries.count > 300)
        let per = (snapshot.subscribers.count + parts - 1) / parts
        let pieces = (0..<parts).map { p in
            planner.plan(
                snapshot, history: InMemoryKeyHistory(), shard: .all,
                subscribers: (p * per)..<min(snapshot.subscribers.count, (p + 1) * per))
        }
        let merged = Planner.merge(pieces)
        #expect(merged.entries.map(\.msisdn) == whole.entries.map(\.msisdn))
        #expect(merged.entries.map(\.rule) == whole.entries.map(\.rule))
        #expect(merged.statistics == whole.statistics)
    }

    @Test func shardsSplitThePlanWithoutOverlap() {
        let snapshot = Self.world.snapshot
        let planner = Planner(asOf: CalendarDate("2026-11-30")!)
        let whole = planner.plan(snapshot, history: InMemoryKeyHistory())
        let shards = (0..<4).map { planner.plan(snapshot, history: InMemoryKeyHistory(), shard: Shard("\($0)/4")!) }
        #expect(shards.allSatisfy { !$0.entries.isEmpty })
        let merged = Planner.merge(shards)
        #expect(merged.entries.map(\.msisdn) == whole.entries.map(\.msisdn))
        #expect(merged.statistics == whole.statistics)
    }
}
