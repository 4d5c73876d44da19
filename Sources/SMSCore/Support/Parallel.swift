import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Work spread over threads, the results gathered in order.
public enum Parallel {
    /// `body(i)` for every `i` in `0..<count`, run at once on up to `count` threads; the results in index order.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let value = body(i)
            slots.withLock { $0[i] = value }
        }
        return slots.withLock { $0.map { $0! } }
    }

    /// Two pieces of work at once, each on a thread of its own (`a` on a new one, `b` on the caller's); both
    /// results. Either may wait for the other (a ``Handoff``): neither waits to be scheduled, whatever the number of
    /// cores or the state of a thread pool.
    public static func run<A: Sendable, B: Sendable, E: Error>(
        _ a: @Sendable () throws(E) -> A, _ b: @Sendable () throws(E) -> B
    ) -> (Result<A, E>, Result<B, E>) {
        withoutActuallyEscaping(a) { a in
            let first = Mutex<Result<A, E>?>(nil)
            let thread = DedicatedThread { first.withLock { $0 = Result { () throws(E) in try a() } } }
            let second = Result { () throws(E) in try b() }
            thread.join()
            return (first.withLock { $0! }, second)
        }
    }
}

/// A POSIX thread that runs one piece of work; ``join()`` waits for it (and orders its writes before what follows).
final class DedicatedThread {
    private var thread = pthread_t()

    /// Starts `work` at once on a new thread.
    init(_ work: @escaping () -> Void) {
        let context = Unmanaged.passRetained(Work(work)).toOpaque()
        let rc = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            }, context)
        precondition(rc == 0, "cannot start a thread (pthread_create: \(rc))")
    }

    func join() { pthread_join(thread, nil) }

    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}
