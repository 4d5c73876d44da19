import Foundation
import Testing

@testable import SMSCore
@testable import SMSGateway

@Suite struct HTTPReplyTests {
    @Test(arguments: [200, 201, 202, 299])
    func successIsAcceptedWithTheGatewayID(_ status: Int) {
        #expect(
            HTTPReply.outcome(status: status, body: Array(#"{"message_id":"gw-7"}"#.utf8), retryAfter: nil)
                == .accepted(gatewayMessageID: "gw-7"))
        #expect(HTTPReply.outcome(status: status, body: [], retryAfter: nil) == .accepted(gatewayMessageID: nil))
    }

    @Test(arguments: [429, 503])
    func busyIsTransientWithRetryAfter(_ status: Int) {
        #expect(HTTPReply.outcome(status: status, body: [], retryAfter: 3) == .transient(reason: "HTTP \(status)", retryAfter: 3))
    }

    @Test(arguments: [500, 502, 504])
    func serverErrorsAreTransient(_ status: Int) {
        guard case .transient = HTTPReply.outcome(status: status, body: [], retryAfter: 9) else {
            Issue.record("not transient"); return
        }
    }

    /// SPEC §8: a token or URL that is wrong is the gateway's fault, not the number's.
    @Test(arguments: [401, 403, 404, 405, 407])
    func setupErrorsMeanAMisconfiguredGatewayNotARejectedNumber(_ status: Int) {
        guard case let .misconfigured(s, _) = HTTPReply.outcome(status: status, body: Array("{}".utf8), retryAfter: nil) else {
            Issue.record("not misconfigured"); return
        }
        #expect(s == status)
    }

    @Test(arguments: [400, 409, 413, 422])
    func otherClientErrorsAreRejectedWithTheStartOfTheReply(_ status: Int) {
        let body = Array(("{\"error\":\"" + String(repeating: "x", count: 500) + "\"}").utf8)
        guard case let .rejected(s, excerpt) = HTTPReply.outcome(status: status, body: body, retryAfter: nil) else {
            Issue.record("not rejected"); return
        }
        #expect(s == status)
        #expect(excerpt.count == 200 && excerpt.hasPrefix("{\"error\":\"xxx"))
    }

    @Test func retryAfterReadsSecondsAndDates() {
        #expect(HTTPReply.retryAfter(" 7 ") == 7)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(HTTPReply.retryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == 10)
        #expect(HTTPReply.retryAfter("soon") == nil)
    }

    @Test func bodyIsTheContractsJSON() throws {
        let body = HTTPReply.body(id: "abc", to: "13800138000", text: "【中国移动】\"您好\"", rule: "trial-expiry", segments: 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["id", "to", "text", "rule", "segments"])
        #expect(object["text"] as? String == "【中国移动】\"您好\"")
    }

    @Test func backoffGrowsIsCappedAndHonoursRetryAfter() throws {
        var options = HTTPOptions()
        options.backoff = 1
        options.backoffMax = 5
        let g = try CurlGateway(url: "http://127.0.0.1:9/", options: options)
        for attempt in 1...6 {
            let d = try #require(g.backoff(attempt: attempt, retryAfter: nil))
            let full = min(5, pow(2, Double(attempt - 1)))
            #expect(d <= full && d >= min(5, full * 0.5) - 0.0001)
        }
        #expect(g.backoff(attempt: 1, retryAfter: 4) == 4)
        #expect(g.backoff(attempt: 1, retryAfter: 60) == nil, "a long Retry-After waits for the next run")
    }

    @Test func tokenBucketLimitsTheRate() {
        var bucket = TokenBucket(rate: 2)
        let t0 = bucket.last
        let first = bucket.take(now: t0)
        let second = bucket.take(now: t0)
        let third = bucket.take(now: t0)
        let later = bucket.take(now: t0.addingTimeInterval(0.5))
        #expect(first && second)
        #expect(!third)
        #expect(later)
    }
}
