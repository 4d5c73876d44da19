import Foundation
import SMSCore

/// Talks CMPP 2.0 (or 3.0) to an operator's SMS centre (ISMG) over one long TCP connection.
///
/// Each message goes as UCS-2 SUBMITs (a long text in 67-unit segments behind a concatenation header), at most
/// `window` of them unanswered at once, answers matched by Sequence_Id in any order. Result 0 accepts a segment
/// (its Msg_Id kept), Result 8 (flow control) backs off and retries, any other Result rejects the message. A link
/// that drops is connected again with back-off and only the SUBMITs that had no answer are sent again — a drop may
/// duplicate at most the window. Status reports (DELIVER with Registered_Delivery 1) go to ``reportSink`` and are
/// acknowledged once it has kept them; mobile-originated messages are acknowledged and counted.
public final class CMPPGateway: ReportingGateway {
    public let options: CMPPOptions
    /// SUBMITs per second at most (`--rate`); `nil` for no limit.
    public let rate: Double?
    /// Seconds a stop waits for answers to what is in flight before it cuts them short.
    public let stopGrace: Double
    let secret: String

    public var reportSink: (([SegmentReport]) -> Bool)?
    public internal(set) var traffic = GatewayTraffic()

    // The state below is shared with CMPPGateway+Link.swift (internal, not private, for that reason only).
    var link: CMPPConnection?
    var linkVersion: CMPPVersion
    var sequence: UInt32 = 0
    var reference = UInt8.random(in: 0...255)
    var lastSent = Date()
    var lastHeard = Date()
    /// When the current link logged in: reports the centre kept come right after.
    var loggedInAt = Date()
    var activeTestSent: Date?
    var bucket: TokenBucket?
    var pausedUntil = Date.distantPast
    var flowInARow = 0
    var givenUp: String?
    var everConnected = false
    var batch: Batch?
    /// Msg_Ids accepted on this gateway that have no report yet.
    var awaited = Set<UInt64>()
    /// Frames that came with the login's answer, handled by the next read.
    var early: [CMPPFrame] = []
    /// Reports received and not yet handed to the sink.
    var incoming: [IncomingReport] = []

    /// A status report on its way to the ledger: the DELIVER's Sequence_Id and Msg_Id (echoed in the answer), and
    /// whether it was answered already (a report for a message still being sent is answered at once, as the protocol
    /// asks, and kept until the message is settled).
    struct IncomingReport {
        var sequence: UInt32
        var deliverID: UInt64
        var report: CMPPStatusReport
        var answered = false
    }

    /// Tries of one segment answered with flow control before the message is left for a later run.
    static let flowControlTries = 40

    public var looksDown: Bool { givenUp != nil }

    /// A gateway for `options`, logging in with `secret` (from ``CMPPOptions/secretVariable``).
    public init(options: CMPPOptions, secret: String, rate: Double? = nil, stopGrace: Double = 5) {
        self.options = options
        self.secret = secret
        self.rate = rate
        self.stopGrace = stopGrace
        linkVersion = options.version
        bucket = rate.map { TokenBucket(rate: $0) }
    }

    deinit { link?.close() }

    // MARK: - Delivering

    /// One segment's SUBMIT, and what became of it.
    final class Part {
        let message: Int
        let body: [UInt8]
        var notBefore = Date.distantPast
        var tries = 0
        var msgID: UInt64?

        init(message: Int, body: [UInt8]) {
            self.message = message
            self.body = body
        }
    }

    /// The batch being delivered: its messages' segments, what waits, what is in flight.
    final class Batch {
        var parts: [[Part]]
        var accepted: [Int]
        var done: [Bool]
        var next = 0
        var open = 0
        var queue: [Part] = []
        var inFlight: [UInt32: (part: Part, at: Date)] = [:]
        var outcomes: [(index: Int, outcome: DeliveryOutcome)] = []
        /// Msg_Id → message, for accepted segments of messages not reported yet (their reports wait for them).
        var owners: [UInt64: Int] = [:]

        init(parts: [[Part]]) {
            self.parts = parts
            accepted = [Int](repeating: 0, count: parts.count)
            done = [Bool](repeating: false, count: parts.count)
        }
    }

    public func deliver(
        _ messages: [RenderedMessage],
        report: (_ outcomes: [(index: Int, outcome: DeliveryOutcome)]) -> Bool
    ) throws(GatewayError) {
        if let givenUp { throw GatewayError(.unavailable, givenUp) }
        let b = Batch(
            parts: messages.enumerated().map { i, m in
                reference &+= 1
                let segments = LongMessage(text: m.text, reference: reference).segments
                return segments.enumerated().map { n, segment in
                    var submit = CMPPSubmit(
                        serviceID: options.serviceID, msgSrc: options.msgSrc, srcID: options.srcID,
                        destination: m.msisdn, content: segment.content)
                    submit.pkTotal = UInt8(segments.count)
                    submit.pkNumber = UInt8(n + 1)
                    submit.tpUdhi = segment.hasHeader ? 1 : 0
                    submit.feeUserType = options.feeUserType
                    submit.feeType = options.feeType
                    submit.feeCode = options.feeCode
                    return Part(message: i, body: submit.body(options.version))
                }
            })
        batch = b
        defer {
            // Answers to SUBMITs cut short are ignored; their reports still count. Reports answered while their
            // messages were being sent go to the ledger now that every message of the batch is settled.
            batch = nil
            flushReports()
        }
        var stopping: Date?
        var reconnectTries = 0
        // Until every message is settled and every SUBMIT answered (an answer still owed to a rejected message's
        // other segments counts against the centre's window).
        while b.next < messages.count && stopping == nil || b.open > 0 || !b.inFlight.isEmpty {
            if let since = stopping, Date().timeIntervalSince(since) >= stopGrace {
                // What is still in flight or waiting for a retry was handed over: reported transient, it stays queued.
                for i in b.parts.indices where i < b.next && !b.done[i] {
                    finish(b, i, .transient(reason: "cut short while stopping", retryAfter: nil))
                }
                b.inFlight.removeAll()
                _ = report(b.outcomes)
                b.outcomes = []
                break
            }
            if link == nil {
                do {
                    try login()
                    reconnectTries = 0
                    pump(timeout: 0)  // what came with the login's answer, before the window fills
                } catch {
                    // A centre that refuses the login is not tried again; a link that fails is, with back-off.
                    if error.retryable, reconnectTries < (everConnected ? options.reconnects : 2) {
                        reconnectTries += 1
                        let until = Date().addingTimeInterval(min(8, 0.5 * pow(2, Double(reconnectTries - 1))))
                        while Date() < until {
                            usleep(UInt32(min(0.1, max(0, until.timeIntervalSinceNow)) * 1_000_000))
                            if !report([]), stopping == nil { stopping = Date() }
                        }
                        continue
                    }
                    for i in b.parts.indices where i < b.next && !b.done[i] {
                        finish(b, i, .transient(reason: "the link to the centre is down (\(error.message))", retryAfter: nil))
                    }
                    _ = report(b.outcomes)
                    b.outcomes = []
                    if error.retryable { givenUp = error.message }
                    throw error.gatewayError
                }
            }
            let now = Date()
            var rateLimited = fill(b, now: now, starting: stopping == nil)
            var wait = 0.1
            if let due = b.queue.map(\.notBefore).min() { wait = min(wait, max(0.001, due.timeIntervalSinceNow)) }
            if pausedUntil > now { wait = min(wait, max(0.001, pausedUntil.timeIntervalSince(now))) }
            if rateLimited, let rate { wait = min(0.1, max(0.001, 1 / rate)) }
            pump(timeout: wait)
            // Refill before the ledger's turn, so the centre works while the answers are settled.
            rateLimited = fill(b, now: Date(), starting: stopping == nil)
            let go = report(b.outcomes)
            b.outcomes = []
            flushReports()
            if !go, stopping == nil { stopping = Date() }
        }
    }

    /// Sends SUBMITs while the window has room (retries and the rest of started messages first, then the next
    /// message when `starting`), in one write; returns true when the rate limit held one back.
    func fill(_ b: Batch, now: Date, starting: Bool) -> Bool {
        guard let l = link, now >= pausedUntil else { return false }
        var frames: [CMPPFrame] = []
        var parts: [(UInt32, Part)] = []
        var rateLimited = false
        while b.inFlight.count + parts.count < options.window, let part = nextPart(b, now: now, starting: starting) {
            if var bucket {
                let ok = bucket.take(now: now)
                self.bucket = bucket
                if !ok { rateLimited = true; b.queue.insert(part, at: 0); break }
            }
            let seq = nextSequence()
            frames.append(CMPPFrame(.submit, sequence: seq, body: part.body))
            parts.append((seq, part))
        }
        guard !frames.isEmpty else { return rateLimited }
        do {
            try l.send(frames, timeout: options.responseTimeout)
            lastSent = now
            for (seq, part) in parts { b.inFlight[seq] = (part, now) }
        } catch {
            // Nothing of it counts as sent: the link is gone, the parts go back to the front of the queue.
            b.queue.insert(contentsOf: parts.map(\.1), at: 0)
            drop(error.description)
        }
        return rateLimited
    }

    /// The next segment to send: a ready retry or the next segment of a started message, else (when `starting`)
    /// the first segment of the next message.
    func nextPart(_ b: Batch, now: Date, starting: Bool) -> Part? {
        if let i = b.queue.firstIndex(where: { $0.notBefore <= now }) { return b.queue.remove(at: i) }
        guard starting, b.next < b.parts.count, b.queue.isEmpty || b.inFlight.count + b.queue.count < options.window else { return nil }
        let i = b.next
        b.next += 1
        b.open += 1
        b.queue += b.parts[i].dropFirst()
        return b.parts[i][0]
    }

    /// Settles message `i` of the batch: its outcome is reported, its held reports may go.
    func finish(_ b: Batch, _ i: Int, _ outcome: DeliveryOutcome) {
        guard !b.done[i] else { return }
        b.done[i] = true
        b.open -= 1
        b.outcomes.append((i, outcome))
        b.queue.removeAll { $0.message == i }
        for p in b.parts[i] { if let id = p.msgID { b.owners.removeValue(forKey: id) } }
    }

    func nextSequence() -> UInt32 {
        sequence = sequence >= 0x7FFF_FFFF ? 1 : sequence + 1
        return sequence
    }

    // MARK: - Reports and the way out

    public func collectReports(until stop: () -> Bool) throws(GatewayError) {
        if let givenUp { throw GatewayError(.unavailable, givenUp) }
        let deadline = Date().addingTimeInterval(options.reportWait)
        let quiet = min(0.5, options.reportWait)
        var tries = 0
        while Date() < deadline, !stop() {
            if link == nil {
                do {
                    try login()
                } catch {
                    tries += 1
                    guard error.retryable, tries <= 2 else { throw error.gatewayError }
                    usleep(200_000)
                    continue
                }
            }
            // Every report of this gateway's segments is in, and the link has been up long enough for what the
            // centre kept from earlier sessions to have come.
            if awaited.isEmpty && incoming.isEmpty && Date().timeIntervalSince(loggedInAt) >= quiet { break }
            pump(timeout: min(0.1, max(0.001, deadline.timeIntervalSinceNow)))
            flushReports()
        }
    }

    public func finish() throws(GatewayError) {
        disconnect()
    }

    /// TERMINATE, a moment for its answer, close.
    public func disconnect() {
        guard let l = link else { return }
        let seq = nextSequence()
        if (try? l.send(CMPPFrame(.terminate, sequence: seq), timeout: 2)) != nil {
            let deadline = Date().addingTimeInterval(2)
            outer: while Date() < deadline {
                guard let frames = try? l.receive(timeout: 0.1) else { break }
                for f in frames where f.command == CMPPCommand.terminateResp.rawValue && f.sequence == seq { break outer }
            }
        }
        l.close()
        link = nil
    }
}
