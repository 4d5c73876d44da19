import Foundation
import SMSGateway

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a report (the reject file, the preview page, the metrics file) whole and private: a new file created
/// owner-only (`0600` from the `open` call, never a later `chmod`) with a name no one can guess, then renamed over
/// the target, so a reader sees the old report or the new one and never half of one. A target that exists and is
/// not a regular file (a symlink, a FIFO, a device, a folder) is refused rather than replaced.
enum ReportFile {
    /// Writes `bytes` to `path`; `what` names the report in errors ("the reject file"). `readable` widens the file
    /// to 0644 once written (a metrics file that a collector running as another user reads; no personal data).
    static func write(_ bytes: [UInt8], to path: String, what: String, readable: Bool = false) throws(BatchError) {
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw BatchError(.io, "\(what) \(path) exists and is not a regular file (a link, a device or a folder); smsbatch will not replace it")
        }
        let folder = (path as NSString).deletingLastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw BatchError(.io, "cannot write \(what) \(path) (\(String(cString: strerror(errno))))") }
        let temporary = String(cString: template)
        // mkstemp creates the file 0600 and fails if the name exists: nothing planted can be written through.
        let ok = FileWriting.writeAll(fd: fd, bytes) && fsync(fd) == 0 && (!readable || fchmod(fd, 0o644) == 0)
        let reason = String(cString: strerror(errno))
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let why = ok ? String(cString: strerror(errno)) : reason
            unlink(temporary)
            throw BatchError(.io, "cannot write \(what) \(path) (\(why))")
        }
    }

    /// True when `path` names a regular file (not through a symlink).
    static func isRegular(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    static func write(_ text: String, to path: String, what: String, readable: Bool = false) throws(BatchError) {
        try write(Array(text.utf8), to: path, what: what, readable: readable)
    }
}
