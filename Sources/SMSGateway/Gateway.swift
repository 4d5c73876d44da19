import SMSCore

/// Where messages go. A gateway takes a batch and says, per message, what became of it.
public protocol Gateway: AnyObject {
    /// Delivers `messages`; the outcomes come in the same order.
    /// Throws ``GatewayError`` when the gateway cannot take anything at all.
    func deliver(_ messages: [RenderedMessage]) throws(GatewayError) -> [DeliveryOutcome]
    /// Flushes and closes; called once after the last batch.
    func finish() throws(GatewayError)
    /// True when the gateway has failed so often that sending more now is pointless.
    var looksDown: Bool { get }
}

/// What became of one message at the gateway (SPEC §8).
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted; the gateway's own id when it gave one.
    case accepted(gatewayMessageID: String?)
    /// Not delivered this time: try again later. `retryAfter` in seconds when the gateway said.
    case transient(reason: String, retryAfter: Double?)
    /// Refused for good, with the status and the start of the reply.
    case rejected(status: Int, body: String)
}

/// A gateway that cannot be used now.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case unavailable, writeFailed, badTarget }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// The `--gateway` value: `stdout`, `file:PATH` or an `http(s)://` URL.
public enum GatewayTarget: Sendable, Equatable, CustomStringConvertible {
    case stdout
    case file(String)
    case http(String)

    public init(_ text: String) throws(GatewayError) {
        if text == "stdout" || text == "-" {
            self = .stdout
        } else if text.hasPrefix("file:"), text.count > 5 {
            self = .file(String(text.dropFirst(5)))
        } else if text.hasPrefix("http://") || text.hasPrefix("https://") {
            self = .http(text)
        } else {
            throw GatewayError(.badTarget, "gateway '\(text)' is not stdout, file:PATH or an http(s):// URL")
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
        }
    }
}
