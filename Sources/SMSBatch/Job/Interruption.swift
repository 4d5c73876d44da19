import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT as a request to stop (SPEC §5): the handler only notes the signal; the job stops claiming,
/// settles what is in flight, prints one line and exits 128 + the signal's number. A second signal ends the
/// process at once, which the ledger survives like a `kill -9`.
public enum Interruption {
    private static let received = Atomic<Int32>(0)
    /// While planning (nothing recorded yet), a signal ends the process at once, with its one line.
    private static let planning = Atomic<Bool>(false)

    /// Whether a signal now ends the process at once (while loading and planning, when nothing is recorded and
    /// nothing would be gained by waiting for the plan to finish) or is noted for the job to stop in order.
    public static func stopsAtOnce(_ on: Bool) {
        planning.store(on, ordering: .sequentiallyConsistent)
    }

    /// The signal received, or `nil` while none was.
    public static var signal: Int32? {
        let s = received.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// True once SIGTERM or SIGINT arrived.
    public static var requested: Bool { signal != nil }

    /// Installs the handlers (once, before any work), and unblocks the two signals: a parent (a spawner, a
    /// scheduler) may have left them blocked, and a blocked SIGTERM would never be seen. SIGPIPE is ignored.
    public static func install() {
        _ = received.load(ordering: .relaxed)
        _ = planning.load(ordering: .relaxed)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTERM)
        sigaddset(&unblock, SIGINT)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                if Interruption.received.exchange(sig, ordering: .relaxed) != 0 { _exit(128 + sig) }
                if Interruption.planning.load(ordering: .sequentiallyConsistent) {
                    // Only async-signal-safe calls here: a static line, write(2), _exit(2).
                    let line: StaticString =
                        sig == SIGINT
                        ? "smsbatch: stopped by SIGINT while planning; nothing was recorded\n"
                        : "smsbatch: stopped by SIGTERM while planning; nothing was recorded\n"
                    _ = write(2, line.utf8Start, line.utf8CodeUnitCount)
                    _exit(128 + sig)
                }
            }
            sigemptyset(&action.sa_mask)
            // Not restarted: a write blocked on a stalled reader (a FIFO, a pipe) returns, and the run stops in order.
            // The loops look at the flag; flock is retried.
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
        // A FIFO's reader that goes away is a failed write (exit 74, everything unsettled stays queued), not a death
        // by SIGPIPE with no line.
        Glibc.signal(SIGPIPE, SIG_IGN)
    }

    /// The signal's name for the one line printed on the way out.
    static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        default: "signal \(sig)"
        }
    }

    /// Throws ``BatchError/Kind/interrupted(_:)`` when a signal arrived; `stage` says what was not done.
    static func check(_ stage: String) throws(BatchError) {
        if let sig = signal {
            throw BatchError(.interrupted(sig), "stopped by \(name(sig)) \(stage)")
        }
    }
}
