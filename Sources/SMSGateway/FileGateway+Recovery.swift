import SMSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FileGateway {
    /// The ids of the records written to the file a claim tag names (``claimTag()``) from where the tag says the
    /// batch began: after a crash, the messages of that batch whose records are in the file were delivered.
    ///
    /// A last line cut short by the crash (no line break) is no record: it is cut off the file, so the file holds
    /// whole records only and the message is written again, whole. Returns `nil` when `tag` names no file gateway's
    /// file. When the file cannot be read, or is gone or replaced (another inode at the path), nothing can be known
    /// of it: that throws, because guessing would write records twice.
    public static func writtenIDs(since tag: String) throws(GatewayError) -> Set<String>? {
        let parts = tag.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "file", let device = UInt64(parts[1]), let inode = UInt64(parts[2]),
            let offset = Int(parts[3])
        else { return nil }
        let path = String(parts[4])
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw GatewayError(.writeFailed, "cannot read \(path) back to see what a stopped run wrote to it (\(FileWriting.lastError()))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, UInt64(info.st_dev) == device,
            UInt64(info.st_ino) == inode
        else {
            throw GatewayError(.writeFailed, "\(path) is no longer the file a stopped run was writing (it was moved or replaced)")
        }
        FileWriting.lock(fd)
        defer { flock(fd, LOCK_UN) }
        let end = Int(lseek(fd, 0, SEEK_END))
        guard end > offset else { return [] }
        var bytes = [UInt8](repeating: 0, count: end - offset)
        var read = 0
        while read < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + read, $0.count - read, off_t(offset + read)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw GatewayError(.writeFailed, "cannot read \(path) back to see what a stopped run wrote (\(FileWriting.lastError()))")
            }
            read += n
        }
        var ids = Set<String>()
        var lineStart = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            if let id = recordID(bytes[lineStart..<i]) { ids.insert(id) }
            lineStart = i + 1
        }
        if lineStart < bytes.count, ftruncate(fd, off_t(offset + lineStart)) != 0 {
            throw GatewayError(.writeFailed, "cannot cut a record left half-written off \(path) (\(FileWriting.lastError()))")
        }
        return ids
    }

    /// The id of one record line, `{"id":"…",…}` as ``RenderedMessage/appendJSONRecord(to:)`` writes it.
    static func recordID(_ line: ArraySlice<UInt8>) -> String? {
        let prefix = Array(#"{"id":""#.utf8)
        guard line.count > prefix.count, line.starts(with: prefix) else { return nil }
        let rest = line.dropFirst(prefix.count)
        guard let close = rest.firstIndex(of: 0x22) else { return nil }
        return String(decoding: rest[..<close], as: UTF8.self)
    }
}
