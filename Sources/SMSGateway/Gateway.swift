import SMSCore

/// Where messages go. A gateway takes a batch and reports, per message, what became of it as soon as it knows.
public protocol Gateway: AnyObject {
    /// Delivers `messages`, calling `report` with the outcomes known so far (indexes into `messages`, in any order)
    /// as they come in, and with an empty list at least every 100 ms while it waits, so the caller can settle each
    /// reply at once and ask it to stop. When `report` returns `false` the gateway starts nothing more, lets what is
    /// in flight finish (an HTTP gateway cuts it short after its stop grace and reports it transient), reports it,
    /// and returns. A message it never started is never reported: it was not handed over.
    /// Throws ``GatewayError`` when the gateway cannot take anything at all.
    func deliver(_ messages: [RenderedMessage], report: (_ outcomes: [(index: Int, outcome: DeliveryOutcome)]) -> Bool) throws(GatewayError)
    /// Flushes and closes; called once after the last batch.
    func finish() throws(GatewayError)
    /// True when the gateway has failed so often that sending more now is pointless.
    var looksDown: Bool { get }
    /// Where a batch claimed now would be written, kept with the claim so that after a crash the ledger can tell
    /// which of its messages were written (a regular file's identity and end); `nil` for gateways that honour the
    /// message id instead.
    func claimTag() -> String?
}

extension Gateway {
    public func claimTag() -> String? { nil }

    /// Delivers every message and returns the outcomes in order (messages never started come back transient).
    public func deliverAll(_ messages: [RenderedMessage]) throws(GatewayError) -> [DeliveryOutcome] {
        var outcomes = [DeliveryOutcome?](repeating: nil, count: messages.count)
        try deliver(messages) { done in
            for (i, o) in done { outcomes[i] = o }
            return true
        }
        return outcomes.map { $0 ?? .transient(reason: "not tried", retryAfter: nil) }
    }
}

/// What became of one message at the gateway (SPEC §8).
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted; the gateway's own id when it gave one, and, from a gateway that splits long texts itself and
    /// reports on each part (CMPP), the id of every segment in order (the first is `gatewayMessageID`).
    case accepted(gatewayMessageID: String?, segmentIDs: [String] = [])
    /// Not delivered this time: try again later. `retryAfter` in seconds when the gateway said.
    case transient(reason: String, retryAfter: Double?)
    /// Refused for good, with the status and the start of the reply.
    case rejected(status: Int, body: String)
    /// The gateway itself is set up wrong (a token, a URL: 401, 403, 404, 405, 407): not the number's fault. The
    /// message goes back to the queue and the run stops.
    case misconfigured(status: Int, body: String)
}

/// A gateway that cannot be used now.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    /// `unavailable`: cannot be reached now (exit 69); `writeFailed`: a file cannot be written (74); `badTarget`: the
    /// `--gateway` text is not a target (2); `misconfigured`: the target's settings or credentials are wrong (78).
    public enum Kind: Sendable { case unavailable, writeFailed, badTarget, misconfigured }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// The `--gateway` value: `stdout`, `file:PATH`, an `http(s)://` URL or a `cmpp://` URL.
public enum GatewayTarget: Sendable, Equatable, CustomStringConvertible {
    case stdout
    case file(String)
    case http(String)
    /// `cmpp://SPID@HOST:PORT?…`: an operator's SMS centre over CMPP.
    case cmpp(String)

    public init(_ text: String) throws(GatewayError) {
        if text == "stdout" || text == "-" {
            self = .stdout
        } else if text.hasPrefix("file:"), text.count > 5 {
            self = .file(String(text.dropFirst(5)))
        } else if text.hasPrefix("http://") || text.hasPrefix("https://") {
            // A URL with no host would fail every request as a transient error, night after night.
            let rest = text.drop { $0 != ":" }.dropFirst(3)
            guard let first = rest.first, first != "/", first != "?", first != "#", first != ":" else {
                throw GatewayError(.badTarget, "the gateway URL names no host (http://HOST[:PORT]/PATH)")
            }
            self = .http(text)
        } else if text.hasPrefix("cmpp://") {
            self = .cmpp(text)
        } else {
            throw GatewayError(.badTarget, "gateway '\(text)' is not stdout, file:PATH, an http(s):// URL or a cmpp:// URL")
        }
    }

    /// True for `file:PATH`.
    public var isFile: Bool {
        if case .file = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .stdout: "stdout"
        case let .file(path): "file:\(path)"
        case let .http(url): url
        case let .cmpp(url): CMPPOptions.redacted(url)
        }
    }
}
