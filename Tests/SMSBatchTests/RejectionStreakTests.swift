import SMSCore
import Testing

@testable import SMSBatch

/// The circuit breaker of SPEC §8: the same 4xx for many different numbers in a row.
@Suite struct RejectionStreakTests {
    func entry(_ seq: Int, _ msisdn: String, _ status: Int = 413) -> RejectionStreak.Entry {
        RejectionStreak.Entry(seq: seq, rule: .trialExpiry, msisdn: msisdn, status: status)
    }

    @Test func tripsOnlyAfterEnoughDifferentNumbers() {
        var streak = RejectionStreak(limit: 3)
        streak.add(entry(1, "13800000001"))
        streak.add(entry(2, "13800000001"))
        streak.add(entry(3, "13800000002"))
        #expect(!streak.tripped && streak.numbers == 2, "the same number twice is one number")
        streak.add(entry(4, "13800000003"))
        #expect(streak.tripped)
        #expect(streak.end().map(\.seq) == [1, 2, 3, 4])
        #expect(streak.status == nil && !streak.tripped)
    }

    @Test func anotherStatusOrOutcomeStartsOver() {
        var streak = RejectionStreak(limit: 2)
        streak.add(entry(1, "13800000001", 400))
        streak.add(entry(2, "13800000002", 422))
        #expect(!streak.tripped && streak.status == 422 && streak.entries.map(\.seq) == [2])
        streak.reset()
        streak.add(entry(3, "13800000003", 422))
        #expect(!streak.tripped)
    }
}
