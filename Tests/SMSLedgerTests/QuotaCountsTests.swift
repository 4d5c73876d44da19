import SMSCore
import Testing

@testable import SMSLedger

@Suite struct QuotaCountsTests {
    func candidate(_ seq: Int, _ msisdn: String, _ rule: RuleKind) -> LedgerMessage {
        LedgerMessage(
            seq: seq,
            message: RenderedMessage(
                id: "m\(seq)", msisdn: msisdn, rule: rule, keys: ["k\(seq)"], text: "t",
                units: 1, segments: 1, stars: 3, brand: .gotone, template: "x"),
            state: .queued, attempts: 0, dueDay: "2026-11-30")
    }

    func policy(quota: Int?, cap: Int?) -> DeliveryPolicy {
        DeliveryPolicy(
            day: "2026-11-30", deferUntil: "2026-12-01", dailyQuota: quota, perSubscriberCap: cap,
            capExempt: [.trialExpiry], worker: "w", leaseSeconds: 60, timestamp: "t")
    }

    @Test func capHoldsBackAllButTheTrialNoticeAndCountsWhatWasAlreadySent() {
        var counts = QuotaCounts(sentToday: 5, perSubscriber: ["13800138000": 1])
        let admission = counts.admit(
            [
                candidate(1, "13800138000", .pointsClearing),
                candidate(2, "13800138000", .monthEndSummary),
                candidate(3, "13800138000", .trialExpiry),
                candidate(4, "13900139000", .monthEndSummary),
            ], under: policy(quota: nil, cap: 2))
        #expect(admission.batch.messages.map(\.seq) == [1, 3, 4])
        #expect(admission.heldByCap == [2] && admission.heldByQuota.isEmpty)
        #expect(admission.batch.deferred == [.monthEndSummary: 1])
        #expect(counts.sentToday == 8 && counts.perSubscriber["13800138000"] == 2)
    }

    @Test func dailyQuotaStopsTheBatchInPlanOrder() {
        var counts = QuotaCounts(sentToday: 8)
        let admission = counts.admit((1...4).map { candidate($0, "1380013800\($0)", .trialExpiry) }, under: policy(quota: 10, cap: 2))
        #expect(admission.batch.messages.map(\.seq) == [1, 2])
        #expect(admission.heldByQuota == [3, 4])
        #expect(admission.batch.deferred == [.trialExpiry: 2])
    }
}
