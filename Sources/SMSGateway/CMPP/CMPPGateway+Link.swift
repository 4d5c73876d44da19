import Foundation

/// The link: logging in, reading and answering what the centre sends, keeping the link alive, dropping it.
extension CMPPGateway {
    /// A failure to log in: `retryable` when the link failed (not when the centre refused).
    struct LoginFailure: Error {
        var kind: GatewayError.Kind
        var message: String
        var retryable: Bool
        var gatewayError: GatewayError { GatewayError(kind, message) }
    }

    /// Connects and logs in (CONNECT, CONNECT_RESP).
    func login() throws(LoginFailure) {
        let where_ = "\(options.host):\(options.port)"
        let l: CMPPConnection
        do {
            l = try CMPPConnection(host: options.host, port: options.port, timeout: options.connectTimeout)
        } catch {
            throw LoginFailure(kind: .unavailable, message: "CMPP centre \(where_): \(error.description)", retryable: true)
        }
        let connect = CMPPConnect(
            sourceAddr: options.spID, secret: secret, timestamp: CMPPConnect.timestamp(Date()),
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
                        let why =
                            "CMPP centre \(where_) refused the login of SP \(options.spID): status \(resp.status), \(CMPPConnectResp.meaning(resp.status))"
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
            throw LoginFailure(
                kind: .unavailable,
                message: "CMPP centre \(where_): \((error as? CMPPConnection.Failure)?.description ?? "\(error)") during the login", retryable: true)
        }
        l.close()
        throw LoginFailure(
            kind: .unavailable, message: "CMPP centre \(where_) did not answer the login within \(options.connectTimeout) s", retryable: true)
    }

    /// The link broke: what was in flight goes back to the front of the queue, unanswered reports are forgotten
    /// (the centre pushes them again after the next login); answered ones wait for their messages as before.
    func drop(_ reason: String) {
        link?.close()
        link = nil
        traffic.reconnects += 1
        incoming.removeAll { !$0.answered }
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
    func pump(timeout: Double) {
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

    func send(_ frame: CMPPFrame) { send([frame]) }

    func send(_ frames: [CMPPFrame]) {
        guard let l = link else { return }
        do {
            try l.send(frames, timeout: options.responseTimeout)
            lastSent = Date()
        } catch {
            drop(error.description)
        }
    }

    func handle(_ frame: CMPPFrame, now: Date) {
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
                let body = "CMPP SUBMIT_RESP Result \(resp.result): \(CMPPSubmitResp.meaning(resp.result, version: linkVersion))"
                // A bad Service_Id (and in 3.0 a bad Src_Id or Msg_src) is this gateway's settings, not the number:
                // nothing is rejected, the message goes back to the queue and the run stops (SPEC §8).
                let setup = resp.result == 7 || (linkVersion == .v30 && (resp.result == 10 || resp.result == 11))
                finish(b, i, setup ? .misconfigured(status: Int(resp.result), body: body) : .rejected(status: Int(resp.result), body: body))
            }
        case .deliver:
            let d = CMPPDeliver(body: frame.body, version: linkVersion)
            if let r = d.report {
                incoming.append(IncomingReport(sequence: frame.sequence, deliverID: d.msgID, report: r))
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

    /// Hands the reports whose messages were reported to the sink and answers them once it kept them. A report for a
    /// segment of a message still being sent (its other segments unanswered) is answered at once — the protocol wants
    /// every request answered without delay, and a centre would push it again — and handed over once the message is
    /// settled; only a crash in between loses it (its message's delivery then stays unknown).
    /// With no link (it dropped, or the login failed), only answered reports are left (``drop(_:)``), and they still go
    /// to the sink once their messages are settled.
    func flushReports() {
        guard !incoming.isEmpty else { return }
        var ready: [IncomingReport] = []
        var waiting: [IncomingReport] = []
        var answerNow: [IncomingReport] = []
        for var r in incoming {
            if let b = batch, b.owners[r.report.msgID] != nil {
                if !r.answered {
                    answerNow.append(r)
                    r.answered = true
                }
                waiting.append(r)
            } else {
                ready.append(r)
            }
        }
        incoming = waiting
        if !answerNow.isEmpty { send(answerNow.map(answer)) }
        guard !ready.isEmpty else { return }
        let kept = reportSink?(ready.map { SegmentReport(segmentID: String($0.report.msgID), code: $0.report.stat) }) ?? true
        guard kept else {
            // Not kept: the unanswered are pushed again by the centre; the answered ones wait for the next flush.
            incoming += ready.filter(\.answered)
            return
        }
        for r in ready {
            awaited.remove(r.report.msgID)
            traffic.reports += 1
        }
        send(ready.filter { !$0.answered }.map(answer))
    }

    /// DELIVER_RESP to a report: its Sequence_Id and Msg_Id echoed, Result 0.
    private func answer(_ r: IncomingReport) -> CMPPFrame {
        CMPPFrame(.deliverResp, sequence: r.sequence, body: CMPPDeliverResp.body(msgID: r.deliverID, version: linkVersion))
    }
}
