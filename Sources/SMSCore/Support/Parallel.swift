import Dispatch
import Synchronization

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

    /// Two pieces of work at once; both results.
    public static func run<A: Sendable, B: Sendable, E: Error>(
        _ a: @Sendable () throws(E) -> A, _ b: @Sendable () throws(E) -> B
    ) -> (Result<A, E>, Result<B, E>) {
        let results = map(2) { i -> (Result<A, E>?, Result<B, E>?) in
            i == 0 ? (Result { () throws(E) in try a() }, nil) : (nil, Result { () throws(E) in try b() })
        }
        return (results[0].0!, results[1].1!)
    }
}
