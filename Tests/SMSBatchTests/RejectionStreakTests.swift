@testable import SMSBatch
import SMSCore
import Testing

/// The circuit breaker of SPEC §8: the same 4xx for many different numbers in a row.
@Suite struct RejectionStreakTests {
    func entry(_ seq: Int, _ msisdn: String, _ status: Int = 413) -> RejectionStreak.Entry {
        RejectionStreak.Entry(seq: seq, rule: .trialExpiry, msisdn: msisdn, status: status, reply: "")
    }

    @Test func tripsOnlyAfterEnoughDifferentNumbers() {
        var streak = RejectionStreak(limit: 3)
        _ = streak.add(entry(1, "13800000001"))
        _ = streak.add(entry(2, "13800000001"))
        _ = streak.add(entry(3, "13800000002"))
        #expect(!streak.tripped, "the same number twice is one number")
        _ = streak.add(entry(4, "13800000003"))
        #expect(streak.tripped)
        #expect(streak.end().map(\.seq) == [1, 2, 3, 4])
        #expect(streak.status == nil && !streak.tripped)
    }

    @Test func anotherStatusEndsTheStreakAndItsRejectionsAreFinal() {
        var streak = RejectionStreak(limit: 2)
        _ = streak.add(entry(1, "13800000001", 400))
        let ended = streak.add(entry(2, "13800000002", 422))
        #expect(ended.map(\.seq) == [1])
        #expect(!streak.tripped && streak.status == 422)
    }
}
