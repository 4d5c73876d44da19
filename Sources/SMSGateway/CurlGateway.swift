import CCurl
import Foundation
import SMSCore

/// Posts each message to an HTTP(S) endpoint through a libcurl multi handle (SPEC §8).
///
/// Up to `concurrency` transfers run at once over kept-alive connections (HTTP/2 when a TLS server offers it).
/// Transient failures are retried with exponential back-off and jitter, honouring `Retry-After`; what still fails
/// is reported transient so that the ledger keeps it queued. The bearer token is sent, never logged.
public final class CurlGateway: Gateway {
    public let url: String
    public let options: HTTPOptions
    private let token: String?
    private let multi: UnsafeMutableRawPointer
    private var idle: [UnsafeMutableRawPointer] = []
    private var bucket: TokenBucket?
    private var failuresInARow = 0

    /// Transfers that failed in a row with no success between them.
    public var looksDown: Bool { failuresInARow >= options.downAfter }

    public init(url: String, options: HTTPOptions = HTTPOptions(), token: String? = nil) throws(GatewayError) {
        self.url = url
        self.options = options
        self.token = token
        CurlGateway.globalInit
        guard let m = curl_multi_init() else { throw GatewayError(.unavailable, "libcurl could not start a transfer engine") }
        multi = m
        _ = ccurl_multi_setopt_long(m, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = ccurl_multi_setopt_long(m, CURLMOPT_MAX_HOST_CONNECTIONS, options.concurrency)
        _ = ccurl_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, options.concurrency * 2)
        bucket = options.rate.map { TokenBucket(rate: $0) }
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    deinit {
        for handle in idle { curl_easy_cleanup(handle) }
        curl_multi_cleanup(multi)
    }

    public func finish() throws(GatewayError) {}

    /// One message on its way: what it is, how often it was tried, what came back.
    final class Transfer {
        let index: Int
        var attempt: Int
        var notBefore: Date
        var response: [UInt8] = []
        var retryAfter: Double?
        var headers: UnsafeMutablePointer<curl_slist>?

        init(index: Int) {
            self.index = index
            attempt = 0
            notBefore = .distantPast
        }
    }

    public func deliver(
        _ messages: [RenderedMessage],
        report: (_ outcomes: [(index: Int, outcome: DeliveryOutcome)]) -> Bool
    ) throws(GatewayError) {
        var waiting = messages.indices.map { Transfer(index: $0) }
        var running: [UnsafeMutableRawPointer: Transfer] = [:]
        var stopping: Date?
        defer {
            // Whatever still runs here was cut short: its connection is closed, the message reported transient.
            for (handle, transfer) in running { release(transfer, handle: handle) }
        }
        while !waiting.isEmpty || !running.isEmpty {
            if stopping == nil && looksDown { stopping = Date() }
            if let since = stopping {
                // Messages that failed and wait for another try were handed over: reported transient, they stay
                // queued. Messages never started are not reported.
                let retried = waiting.filter { $0.attempt > 0 }
                if !retried.isEmpty {
                    let reason = looksDown ? "the gateway looks down (\(failuresInARow) failures in a row)" : "stopped before its next try"
                    _ = report(retried.map { (index: $0.index, outcome: DeliveryOutcome.transient(reason: reason, retryAfter: nil)) })
                }
                waiting.removeAll()
                if running.isEmpty { break }
                if Date().timeIntervalSince(since) >= options.stopGrace {
                    let cut = running.map { (handle, transfer) in
                        release(transfer, handle: handle)
                        return (index: transfer.index, outcome: DeliveryOutcome.transient(reason: "cut short while stopping", retryAfter: nil))
                    }
                    running.removeAll()
                    _ = report(cut)
                    break
                }
            }
            let now = Date()
            var rateLimited = false
            // Start what may start: free slots, ready transfers, tokens in the bucket.
            while stopping == nil, running.count < options.concurrency,
                let next = waiting.firstIndex(where: { $0.notBefore <= now })
            {
                if var b = bucket {
                    let ok = b.take(now: now)
                    bucket = b
                    if !ok { rateLimited = true; break }
                }
                let transfer = waiting.remove(at: next)
                let handle = try start(transfer, messages[transfer.index])
                running[handle] = transfer
            }
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            var queued: Int32 = 0
            var done: [(index: Int, outcome: DeliveryOutcome)] = []
            while let msg = curl_multi_info_read(multi, &queued) {
                guard ccurl_msg_is_done(msg) != 0, let handle = ccurl_msg_handle(msg),
                    let transfer = running.removeValue(forKey: handle)
                else { continue }
                let outcome = finish(transfer, handle: handle, result: ccurl_msg_result(msg))
                switch outcome {
                case .transient(_, let retryAfter):
                    failuresInARow += 1
                    transfer.attempt += 1
                    let delay = backoff(attempt: transfer.attempt, retryAfter: retryAfter)
                    if stopping == nil, transfer.attempt < options.attempts, let delay {
                        transfer.notBefore = Date().addingTimeInterval(delay)
                        transfer.response = []
                        transfer.retryAfter = nil
                        waiting.append(transfer)
                    } else {
                        done.append((transfer.index, outcome))
                    }
                default:
                    failuresInARow = 0
                    done.append((transfer.index, outcome))
                }
            }
            // Settled as they come (and asked every round whether to go on, even when nothing came).
            if !report(done), stopping == nil { stopping = Date() }
            if running.isEmpty && waiting.isEmpty { break }
            // A slot freed and a transfer is ready: start it now rather than wait.
            let nextDue = waiting.map(\.notBefore).min().map { $0.timeIntervalSinceNow } ?? 0.1
            if stopping == nil && running.count < options.concurrency && nextDue <= 0 && !looksDown && !rateLimited { continue }
            // Sleep until a socket is ready, the next retry is due or the bucket has a token, at most 100 ms.
            var wait = min(max(0, nextDue), 0.1)
            if rateLimited, let rate = options.rate { wait = min(0.1, max(wait, 1 / rate)) }
            var fds: Int32 = 0
            curl_multi_poll(multi, nil, 0, Int32(max(1, wait * 1000)), &fds)
        }
    }

    /// Seconds to wait before the next try, or `nil` when the wait is too long for this run.
    func backoff(attempt: Int, retryAfter: Double?) -> Double? {
        if let retryAfter {
            return retryAfter <= options.backoffMax ? retryAfter : nil
        }
        let base = options.backoff * pow(2, Double(attempt - 1))
        return min(options.backoffMax, base * Double.random(in: 0.5...1.0))
    }

    private func start(_ transfer: Transfer, _ m: RenderedMessage) throws(GatewayError) -> UnsafeMutableRawPointer {
        guard let handle = idle.popLast() ?? curl_easy_init() else {
            throw GatewayError(.unavailable, "libcurl could not create a transfer")
        }
        curl_easy_reset(handle)
        let body = HTTPReply.body(id: m.id, to: m.msisdn, text: m.text, rule: m.rule.rawValue, segments: m.segments)
        var headers: UnsafeMutablePointer<curl_slist>?
        headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8")
        headers = curl_slist_append(headers, "Idempotency-Key: \(m.id)")
        headers = curl_slist_append(headers, "Expect:")
        if let token { headers = curl_slist_append(headers, "Authorization: Bearer \(token)") }
        transfer.headers = headers
        _ = ccurl_setopt_string(handle, CURLOPT_URL, url)
        _ = ccurl_setopt_long(handle, CURLOPT_POST, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.utf8.count)
        _ = ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, body)
        _ = ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        _ = ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(options.timeout * 1000))
        _ = ccurl_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        _ = ccurl_setopt_long(handle, CURLOPT_PIPEWAIT, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        _ = ccurl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        if let ca = options.caFile { _ = ccurl_setopt_string(handle, CURLOPT_CAINFO, ca) }
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        _ = ccurl_setopt_write(
            handle,
            { data, size, count, context in
                let n = size * count
                guard let data, let context else { return n }
                let t = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
                if t.response.count < 4096 {
                    t.response.append(contentsOf: UnsafeRawBufferPointer(start: data, count: n))
                }
                return n
            }, context)
        _ = ccurl_setopt_header(
            handle,
            { data, size, count, context in
                let n = size * count
                guard let data, let context else { return n }
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
                if line.lowercased().hasPrefix("retry-after:") {
                    let t = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
                    t.retryAfter = HTTPReply.retryAfter(String(line.dropFirst("retry-after:".count)))
                }
                return n
            }, context)
        curl_multi_add_handle(multi, handle)
        return handle
    }

    /// Takes a transfer's handle off the engine and keeps it for the next one.
    private func release(_ transfer: Transfer, handle: UnsafeMutableRawPointer) {
        curl_multi_remove_handle(multi, handle)
        curl_slist_free_all(transfer.headers)
        transfer.headers = nil
        idle.append(handle)
    }

    private func finish(_ transfer: Transfer, handle: UnsafeMutableRawPointer, result: CURLcode) -> DeliveryOutcome {
        defer { release(transfer, handle: handle) }
        guard result == CURLE_OK else {
            return .transient(reason: "transport: " + String(cString: curl_easy_strerror(result)), retryAfter: nil)
        }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPReply.outcome(status: status, body: transfer.response, retryAfter: transfer.retryAfter)
    }
}

/// A token bucket: `rate` tokens a second, holding at most one second's worth.
struct TokenBucket {
    let rate: Double
    var tokens: Double
    var last: Date

    init(rate: Double) {
        self.rate = rate
        tokens = max(1, rate)
        last = Date()
    }

    mutating func take(now: Date) -> Bool {
        tokens = min(max(1, rate), tokens + now.timeIntervalSince(last) * rate)
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
