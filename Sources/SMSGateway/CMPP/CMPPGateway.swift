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
    private let secret: String

    public var reportSink: (([SegmentReport]) -> Bool)?
    public private(set) var traffic = GatewayTraffic()

    private var link: CMPPConnection?
    private var linkVersion: CMPPVersion
    private var sequence: UInt32 = 0
    private var reference = UInt8.random(in: 0...255)
    private var lastSent = Date()
    private var lastHeard = Date()
    /// When the current link logged in: reports the centre kept come right after.
    private var loggedInAt = Date()
    private var activeTestSent: Date?
    private var bucket: TokenBucket?
    private var pausedUntil = Date.distantPast
    private var flowInARow = 0
    private var givenUp: String?
    private var everConnected = false
    private var batch: Batch?
    /// Msg_Ids accepted on this gateway that have no report yet.
    private var awaited = Set<UInt64>()
    /// Frames that came with the login's answer, handled by the next read.
    private var early: [CMPPFrame] = []
    /// Reports received and not yet handed to the sink: the DELIVER's Sequence_Id and Msg_Id (echoed in the answer).
    private var incoming: [(sequence: UInt32, deliverID: UInt64, report: CMPPStatusReport)] = []

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

    public func deliver(_ messages: [RenderedMessage],
                        report: (_ outcomes: [(index: Int, outcome: DeliveryOutcome)]) -> Bool) throws(GatewayError) {
        if let givenUp { throw GatewayError(.unavailable, givenUp) }
        let b = Batch(parts: messages.enumerated().map { i, m in
            reference &+= 1
            let segments = LongMessage(text: m.text, reference: reference).segments
            return segments.enumerated().map { n, segment in
                var submit = CMPPSubmit(serviceID: options.serviceID, msgSrc: options.msgSrc, srcID: options.srcID,
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
        defer { batch = nil }  // answers to SUBMITs cut short are ignored; their reports still count
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
    private func fill(_ b: Batch, now: Date, starting: Bool) -> Bool {
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
    private func nextPart(_ b: Batch, now: Date, starting: Bool) -> Part? {
        if let i = b.queue.firstIndex(where: { $0.notBefore <= now }) { return b.queue.remove(at: i) }
        guard starting, b.next < b.parts.count, b.queue.isEmpty || b.inFlight.count + b.queue.count < options.window else { return nil }
        let i = b.next
        b.next += 1
        b.open += 1
        b.queue += b.parts[i].dropFirst()
        return b.parts[i][0]
    }

    /// Settles message `i` of the batch: its outcome is reported, its held reports may go.
    private func finish(_ b: Batch, _ i: Int, _ outcome: DeliveryOutcome) {
        guard !b.done[i] else { return }
        b.done[i] = true
        b.open -= 1
        b.outcomes.append((i, outcome))
        b.queue.removeAll { $0.message == i }
        for p in b.parts[i] { if let id = p.msgID { b.owners.removeValue(forKey: id) } }
    }

    private func nextSequence() -> UInt32 {
        sequence = sequence >= 0x7FFF_FFFF ? 1 : sequence + 1
        return sequence
    }

    // MARK: - The link

    /// A failure to log in: `retryable` when the link failed (not when the centre refused).
    struct LoginFailure: Error {
        var kind: GatewayError.Kind
        var message: String
        var retryable: Bool
        var gatewayError: GatewayError { GatewayError(kind, message) }
    }

    /// Connects and logs in (CONNECT, CONNECT_RESP).
    private func login() throws(LoginFailure) {
        let where_ = "\(options.host):\(options.port)"
        let l: CMPPConnection
        do {
            l = try CMPPConnection(host: options.host, port: options.port, timeout: options.connectTimeout)
        } catch {
            throw LoginFailure(kind: .unavailable, message: "CMPP centre \(where_): \(error.description)", retryable: true)
        }
        let connect = CMPPConnect(sourceAddr: options.spID, secret: secret, timestamp: CMPPConnect.timestamp(Date()),
                                  version: options.version)
        let seq = nextSequence()
        let deadline = Date().addingTimeInterval(options.connectTimeout)
        do {
            try l.send(CMPPFrame(.connect, sequence: seq, body: connect.body), timeout: options.connectTimeout)
            while Date() < deadline {
                let frames = try l.receive(timeout: min(0.1, max(0, deadline.timeIntervalSinceNow)))
                for (n, frame) in frames.enumerated() {
                    guard frame.command == CMPPCommand.connectResp.rawValue else { continue }
                    let resp = CMPPConnectResp(body: frame.body, version: options.version)
                    guard resp.status == 0 else {
                        l.close()
                        let why = "CMPP centre \(where_) refused the login of SP \(options.spID): status \(resp.status), \(CMPPConnectResp.meaning(resp.status))"
                        throw LoginFailure(kind: resp.status == 3 ? .misconfigured : .unavailable, message: why, retryable: false)
                    }
                    link = l
                    // What the centre sent right after its answer (kept reports, mobile-originated messages).
                    early = Array(frames[(n + 1)...])
                    everConnected = true
                    linkVersion = options.version
                    lastSent = Date()
                    lastHeard = Date()
                    loggedInAt = Date()
                    activeTestSent = nil
                    return
                }
            }
        } catch let error as LoginFailure {
            throw error
        } catch {
            throw LoginFailure(kind: .unavailable, message: "CMPP centre \(where_): \((error as? CMPPConnection.Failure)?.description ?? "\(error)") during the login", retryable: true)
        }
        l.close()
        throw LoginFailure(kind: .unavailable, message: "CMPP centre \(where_) did not answer the login within \(options.connectTimeout) s", retryable: true)
    }

    /// The link broke: what was in flight goes back to the front of the queue, unanswered reports are forgotten
    /// (the centre pushes them again after the next login).
    private func drop(_ reason: String) {
        link?.close()
        link = nil
        traffic.reconnects += 1
        incoming.removeAll()
        early.removeAll()
        activeTestSent = nil
        if let b = batch {
            let back = b.inFlight.sorted { $0.key < $1.key }.map(\.value.part).filter { !b.done[$0.message] }
            for p in back { p.notBefore = .distantPast }
            b.queue.insert(contentsOf: back, at: 0)
            b.inFlight.removeAll()
        }
    }

    /// Reads what comes within `timeout` and answers it; checks time-outs and keeps the idle link alive.
    private func pump(timeout: Double) {
        guard let l = link else { return }
        var frames = early
        early = []
        do {
            frames += try l.receive(timeout: frames.isEmpty ? timeout : 0)
        } catch {
            drop(error.description)
            return
        }
        let now = Date()
        if !frames.isEmpty { lastHeard = now }
        for frame in frames {
            guard link != nil else { break }
            handle(frame, now: now)
        }
        guard link != nil else { return }
        if let b = batch, let oldest = b.inFlight.values.map(\.at).min(), now.timeIntervalSince(oldest) > options.responseTimeout {
            drop("no SUBMIT_RESP within \(options.responseTimeout) s")
            return
        }
        if let sent = activeTestSent {
            if now.timeIntervalSince(sent) > options.responseTimeout { drop("no ACTIVE_TEST_RESP within \(options.responseTimeout) s") }
        } else if now.timeIntervalSince(max(lastSent, lastHeard)) >= options.activeTest {
            send(CMPPFrame(.activeTest, sequence: nextSequence()))
            activeTestSent = now
        }
    }

    private func send(_ frame: CMPPFrame) { send([frame]) }

    private func send(_ frames: [CMPPFrame]) {
        guard let l = link else { return }
        do {
            try l.send(frames, timeout: options.responseTimeout)
            lastSent = Date()
        } catch {
            drop(error.description)
        }
    }

    private func handle(_ frame: CMPPFrame, now: Date) {
        switch CMPPCommand(rawValue: frame.command) {
        case .submitResp:
            guard let b = batch, let (part, _) = b.inFlight.removeValue(forKey: frame.sequence), !b.done[part.message] else { return }
            let resp = CMPPSubmitResp(body: frame.body, version: linkVersion)
            let i = part.message
            switch resp.result {
            case 0:
                flowInARow = 0
                part.msgID = resp.msgID
                b.owners[resp.msgID] = i
                awaited.insert(resp.msgID)
                b.accepted[i] += 1
                if b.accepted[i] == b.parts[i].count {
                    let ids = b.parts[i].compactMap(\.msgID).map { String($0) }
                    finish(b, i, .accepted(gatewayMessageID: ids.first, segmentIDs: ids))
                }
            case 8:
                traffic.flowControlled += 1
                flowInARow += 1
                part.tries += 1
                guard part.tries < CMPPGateway.flowControlTries else {
                    finish(b, i, .transient(reason: "the centre kept answering flow control (Result 8)", retryAfter: nil))
                    return
                }
                // Back off this segment, and briefly the whole link (longer while the centre keeps asking).
                part.notBefore = now.addingTimeInterval(min(2, 0.05 * pow(2, Double(min(part.tries, 6) - 1))) * Double.random(in: 0.5...1))
                pausedUntil = max(pausedUntil, now.addingTimeInterval(min(1, 0.01 * pow(2, Double(min(flowInARow, 7) - 1)))))
                b.queue.append(part)
            default:
                flowInARow = 0
                finish(b, i, .rejected(status: Int(resp.result), body: "CMPP SUBMIT_RESP Result \(resp.result): \(CMPPSubmitResp.meaning(resp.result))"))
            }
        case .deliver:
            let d = CMPPDeliver(body: frame.body, version: linkVersion)
            if let r = d.report {
                incoming.append((frame.sequence, d.msgID, r))
            } else {
                traffic.mobileOriginated += 1
                send(CMPPFrame(.deliverResp, sequence: frame.sequence, body: CMPPDeliverResp.body(msgID: d.msgID, version: linkVersion)))
            }
        case .activeTest:
            send(CMPPFrame(.activeTestResp, sequence: frame.sequence, body: [0]))
        case .activeTestResp:
            activeTestSent = nil
        case .terminate:
            send(CMPPFrame(.terminateResp, sequence: frame.sequence))
            drop("the centre ended the session (TERMINATE)")
        default:
            break
        }
    }

    /// Hands the reports whose messages were reported to the sink, and acknowledges them once it kept them.
    private func flushReports() {
        guard !incoming.isEmpty, link != nil else { return }
        var ready: [(sequence: UInt32, deliverID: UInt64, report: CMPPStatusReport)] = []
        var waiting: [(sequence: UInt32, deliverID: UInt64, report: CMPPStatusReport)] = []
        for r in incoming {
            if let b = batch, b.owners[r.report.msgID] != nil { waiting.append(r) } else { ready.append(r) }
        }
        incoming = waiting
        guard !ready.isEmpty else { return }
        let kept = reportSink?(ready.map { SegmentReport(segmentID: String($0.report.msgID), code: $0.report.stat) }) ?? true
        guard kept else { return }
        for r in ready {
            awaited.remove(r.report.msgID)
            traffic.reports += 1
        }
        send(ready.map { CMPPFrame(.deliverResp, sequence: $0.sequence, body: CMPPDeliverResp.body(msgID: $0.deliverID, version: linkVersion)) })
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
