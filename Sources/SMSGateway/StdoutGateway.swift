import SMSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Prints each message for a person to read, the number masked: `138****8000 trial-expiry ★3 1条/58字 【…】…`.
public final class StdoutGateway: Gateway {
    private var buffer = ""

    public init() {}

    /// Prints each line and reports it before the next (a terminal or a pipe cannot be read back after a crash).
    public func deliver(
        _ messages: [RenderedMessage],
        report: (_ outcomes: [(index: Int, outcome: DeliveryOutcome)]) -> Bool
    ) throws(GatewayError) {
        for (i, m) in messages.enumerated() {
            buffer += StdoutGateway.line(for: m)
            buffer += "\n"
            try flush()
            guard report([(index: i, outcome: .accepted(gatewayMessageID: nil))]) else { return }
        }
    }

    /// Prints a batch for a person to read (a dry run), in one write.
    public func print(_ messages: [RenderedMessage]) throws(GatewayError) {
        for m in messages {
            buffer += StdoutGateway.line(for: m)
            buffer += "\n"
        }
        try flush()
    }

    public func finish() throws(GatewayError) { try flush() }

    /// The readable line of one message.
    public static func line(for m: RenderedMessage) -> String {
        "\(Msisdn.mask(m.msisdn))  \(m.rule.rawValue)  ★\(m.stars)  \(m.segments)条/\(m.units)字  \(m.text)"
    }

    private func flush() throws(GatewayError) {
        guard !buffer.isEmpty else { return }
        let ok = FileWriting.writeAll(fd: 1, Array(buffer.utf8))
        buffer = ""
        if !ok { throw GatewayError(.writeFailed, "cannot write to standard output (\(FileWriting.lastError()))") }
    }
}

/// Whole-buffer writes to a file descriptor.
public enum FileWriting {
    /// Writes every byte (retrying short writes and interruptions); false on an error, `errno` set.
    public static func writeAll(fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    // Interrupted before anything was written: a stop was asked (the signal handlers do not restart
                    // calls), so the write fails whole and what it carried stays queued.
                    return false
                }
                offset += n
            }
            return true
        }
    }

    /// The last error's sentence (`strerror(errno)`).
    public static func lastError() -> String { String(cString: strerror(errno)) }

    /// An exclusive `flock`, waiting for it (a signal's interruption does not skip it).
    static func lock(_ fd: Int32) {
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
    }
}
