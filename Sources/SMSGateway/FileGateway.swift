#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSCore

/// Appends each message as one JSON Lines record (SPEC §6) to a file.
///
/// A batch is written whole or not at all: when a write fails (a full disk, say), the file is cut back to
/// where the batch began, so it never holds half a line.
public final class FileGateway: Gateway {
    public let path: String
    private let fd: Int32

    /// Opens `path` for appending, creating it readable by its owner only (it holds whole numbers).
    public init(path: String) throws(GatewayError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw GatewayError(.writeFailed, "cannot open \(path) for appending records (\(FileWriting.lastError()))")
        }
        self.fd = fd
        ownsDescriptor = true
    }

    /// Writes records to standard output (a dry run whose output is piped to another program).
    public init(standardOutput: Void = ()) {
        path = "standard output"
        fd = 1
        ownsDescriptor = false
    }

    private let ownsDescriptor: Bool

    deinit { if ownsDescriptor { close(fd) } }

    public func deliver(_ messages: [RenderedMessage]) throws(GatewayError) -> [DeliveryOutcome] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(messages.count * 600)
        for m in messages { m.appendJSONRecord(to: &bytes) }
        try append(encoded: bytes)
        return messages.map { _ in .accepted(gatewayMessageID: nil) }
    }

    /// Appends records already encoded as JSON Lines, whole or not at all.
    public func append(encoded bytes: [UInt8]) throws(GatewayError) {
        let start = lseek(fd, 0, SEEK_END)
        guard FileWriting.writeAll(fd: fd, bytes) else {
            let reason = FileWriting.lastError()
            if start >= 0 { _ = ftruncate(fd, start) }
            throw GatewayError(.writeFailed, "cannot append to \(path) (\(reason)); the file is left as it was before this batch")
        }
    }

    public func finish() throws(GatewayError) {
        if fsync(fd) != 0 && errno != EINVAL {
            throw GatewayError(.writeFailed, "cannot flush \(path) (\(FileWriting.lastError()))")
        }
    }
}
