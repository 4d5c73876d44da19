import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One run at a time per ledger: an exclusive `flock` on the ledger file itself, released when the process ends.
///
/// The lock is on the file (its inode), not on a name beside it: a symlink or a hard link to the ledger, or a
/// deleted lock file, cannot let a second process in. (`flock` does not touch the POSIX locks SQLite takes on the
/// same file; this descriptor stays open until the run is over, so closing it never drops them early.)
public final class LedgerLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock at once or returns `nil` when another process holds it.
    public init?(ledgerPath: String) throws(LedgerError) {
        path = ledgerPath
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let folder = (ledgerPath as NSString).deletingLastPathComponent
            switch errno {
            case ENOENT:
                throw LedgerError(.cannotOpen, "the ledger's folder \(folder.isEmpty ? "." : folder) does not exist; create it or pass --ledger PATH")
            case EACCES, EROFS, EPERM:
                throw LedgerError(
                    .readOnly,
                    "the ledger's folder \(folder.isEmpty ? "." : folder) is not writable (\(String(cString: strerror(errno)))); smsbatch must record what it sends"
                )
            default:
                throw LedgerError(.cannotOpen, "cannot open the ledger \(path) to lock it (\(String(cString: strerror(errno))))")
            }
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
