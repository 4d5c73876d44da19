/// Settings of the HTTP gateway, with their defaults.
public struct HTTPOptions: Sendable, Equatable {
    /// Transfers in flight at once. Default 8, at most ``maxConcurrency``.
    public var concurrency = 8
    /// The most transfers in flight at once (each holds a socket; a gateway takes a few thousand messages a second).
    public static let maxConcurrency = 512
    /// Messages per second at most; `nil` for no limit. Default none.
    public var rate: Double?
    /// Seconds to connect. Default 5.
    public var connectTimeout = 5.0
    /// Seconds for a whole request. Default 15.
    public var timeout = 15.0
    /// Tries per message in one run before it is left queued for the next. Default 4.
    public var attempts = 4
    /// First back-off in seconds; doubled each retry, with jitter. Default 0.5.
    public var backoff = 0.5
    /// Longest wait in seconds for a retry (also caps `Retry-After`; longer asks wait for the next run). Default 30.
    public var backoffMax = 30.0
    /// A CA bundle file for TLS verification (verification is always on). Default: the system's.
    public var caFile: String?
    /// Transient failures in a row, with no success between, after which the gateway is taken as down. Default 40.
    public var downAfter = 40
    /// Different numbers answered the same 4xx in a row after which the gateway is taken as misconfigured (a
    /// circuit breaker): the run stops with exit 69 and those messages go back to the queue. Default 20 (a run of
    /// 20 genuine rejections in a row is unlikely even when one number in two is refused).
    public var breakerAfter = 20
    /// Seconds a stop (SIGTERM, SIGINT, a misconfigured gateway) waits for transfers in flight before it cuts them
    /// short; what is cut short goes back to the queue and may be sent again under its id. Default 5.
    public var stopGrace = 5.0

    public init() {}
}
