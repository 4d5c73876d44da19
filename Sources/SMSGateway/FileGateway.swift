import SMSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends each message as one JSON Lines record (SPEC §6) to a file or a FIFO.
///
/// Records are written whole. To a regular file a batch goes in one write under an exclusive `flock` (so two
/// writers never interleave), and a failed write cuts the file back to where the batch began; the batch's claim
/// carries the file's identity and end (``claimTag()``), so that after a crash ``FileGateway/writtenIDs(since:)``
/// tells which of its messages are already in the file and none is written twice. To a FIFO or another stream, which
/// cannot be read back, each record is written and reported before the next.
public final class FileGateway: Gateway {
    public let path: String
    /// The path with links resolved and made absolute, as claim tags carry it (a rerun may start elsewhere).
    private let resolvedPath: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// A regular file (read back after a crash), not a FIFO or a terminal.
    private let isRegular: Bool

    /// Opens `path` for appending, creating it readable by its owner only (it holds whole numbers). A FIFO or a
    /// regular file; a directory, a device or a socket is refused.
    public init(path: String) throws(GatewayError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw GatewayError(.writeFailed, "cannot open \(path) for appending records (\(FileWriting.lastError()))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw GatewayError(.writeFailed, "cannot open \(path) for appending records (\(FileWriting.lastError()))")
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFIFO || path == "/dev/stdout" || path == "/dev/full" else {
            close(fd)
            throw GatewayError(.badTarget, "gateway file \(path) is neither a regular file nor a FIFO; records go to one of those")
        }
        self.fd = fd
        isRegular = kind == S_IFREG
        ownsDescriptor = true
        resolvedPath =
            realpath(path, nil).map { p in
                defer { free(p) }; return String(cString: p)
            } ?? path
        if isRegular { try cutUnfinishedLine() }
    }

    /// A last line without its line break was cut short by a writer that died (every writer holds the lock while it
    /// writes): it is no record, and a record appended to it would be spoiled too. It is cut off before anything
    /// is written.
    private func cutUnfinishedLine() throws(GatewayError) {
        FileWriting.lock(fd)
        defer { flock(fd, LOCK_UN) }
        let end = lseek(fd, 0, SEEK_END)
        guard end > 0 else { return }
        // The records' descriptor only writes: the tail is read through one of its own.
        let reader = open(resolvedPath, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { return }
        defer { close(reader) }
        var byte: UInt8 = 0
        guard pread(reader, &byte, 1, end - 1) == 1, byte != 0x0A else { return }
        // Walk back to the last line break, a block at a time.
        var start = end
        var block = [UInt8](repeating: 0, count: 4096)
        while start > 0 {
            let from = max(0, start - off_t(block.count))
            let n = block.withUnsafeMutableBytes { pread(reader, $0.baseAddress!, Int(start - from), from) }
            guard n > 0 else { break }
            if let i = block[0..<n].lastIndex(of: 0x0A) {
                start = from + off_t(i) + 1
                break
            }
            start = from
        }
        if ftruncate(fd, start) != 0 {
            throw GatewayError(.writeFailed, "cannot cut a record left half-written off \(path) (\(FileWriting.lastError()))")
        }
    }

    /// Writes records to standard output (a dry run whose output is piped to another program).
    public init(standardOutput: Void = ()) {
        path = "standard output"
        resolvedPath = path
        fd = 1
        var info = stat()
        isRegular = fstat(1, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        ownsDescriptor = false
    }

    deinit { if ownsDescriptor { close(fd) } }

    public func deliver(
        _ messages: [RenderedMessage],
        report: (_ outcomes: [(index: Int, outcome: DeliveryOutcome)]) -> Bool
    ) throws(GatewayError) {
        if isRegular {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(messages.count * 600)
            for m in messages { m.appendJSONRecord(to: &bytes) }
            try append(encoded: bytes)
            _ = report(messages.indices.map { (index: $0, outcome: .accepted(gatewayMessageID: nil)) })
            return
        }
        var bytes: [UInt8] = []
        for (i, m) in messages.enumerated() {
            bytes.removeAll(keepingCapacity: true)
            m.appendJSONRecord(to: &bytes)
            try append(encoded: bytes)
            guard report([(index: i, outcome: .accepted(gatewayMessageID: nil))]) else { return }
        }
    }

    /// Appends records already encoded as JSON Lines, whole or not at all.
    public func append(encoded bytes: [UInt8]) throws(GatewayError) {
        guard isRegular else {
            guard FileWriting.writeAll(fd: fd, bytes) else {
                throw GatewayError(.writeFailed, "cannot write records to \(path) (\(FileWriting.lastError()))")
            }
            return
        }
        FileWriting.lock(fd)
        defer { flock(fd, LOCK_UN) }
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

    /// `file:DEVICE:INODE:END:PATH` for a regular file: where the next batch will begin at the earliest.
    public func claimTag() -> String? {
        guard isRegular else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return "file:\(info.st_dev):\(info.st_ino):\(info.st_size):\(resolvedPath)"
    }
}
