import Foundation

/// Runs two pieces of work at once and returns both results.
enum Parallel {
    static func run<A: Sendable, B: Sendable, E: Error>(
        _ a: @Sendable () throws(E) -> A, _ b: @Sendable () throws(E) -> B
    ) -> (Result<A, E>, Result<B, E>) {
        let box = Box<A, B, E>()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 {
                let r: Result<A, E> = Result { () throws(E) in try a() }
                box.setA(r)
            } else {
                let r: Result<B, E> = Result { () throws(E) in try b() }
                box.setB(r)
            }
        }
        return (box.a!, box.b!)
    }

    /// The two results. `@unchecked Sendable`: each is written by one worker under the lock, read after both end.
    final class Box<A, B, E: Error>: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var a: Result<A, E>?
        private(set) var b: Result<B, E>?
        func setA(_ r: Result<A, E>) { lock.lock(); a = r; lock.unlock() }
        func setB(_ r: Result<B, E>) { lock.lock(); b = r; lock.unlock() }
    }
}

/// A value one thread hands to another once. `@unchecked Sendable`: the semaphore orders the one write before reads.
final class Handoff<T: Sendable>: @unchecked Sendable {
    private var value: T?
    private let ready = DispatchSemaphore(value: 0)

    /// Hands `value` over (`nil` when the producer failed); call once.
    func publish(_ value: T?) {
        self.value = value
        ready.signal()
    }

    /// Waits for the value.
    func wait() -> T? {
        ready.wait()
        ready.signal()
        return value
    }
}
