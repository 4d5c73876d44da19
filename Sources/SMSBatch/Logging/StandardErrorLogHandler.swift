import Logging

/// What smsbatch's log handlers share: metadata kept on the handler, merged with each event's.
public protocol StandardErrorLogHandler: LogHandler {
    var metadata: Logger.Metadata { get set }
}

extension StandardErrorLogHandler {
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The handler's metadata with the event's on top.
    func merged(_ event: LogEvent) -> Logger.Metadata {
        metadata.merging(event.metadata ?? [:]) { _, new in new }
    }
}
