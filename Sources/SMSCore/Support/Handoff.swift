import Dispatch

/// A value one thread hands to another once (the other side of ``Parallel/run(_:_:)``, which gives each side a
/// thread of its own, so a side may wait for the other). `@unchecked Sendable`: the semaphore orders the one write before reads.
package final class Handoff<T: Sendable>: @unchecked Sendable {
    private var value: T?
    private let ready = DispatchSemaphore(value: 0)

    package init() {}

    /// Hands `value` over (`nil` when the producer failed); call once.
    package func publish(_ value: T?) {
        self.value = value
        ready.signal()
    }

    /// Waits for the value.
    package func wait() -> T? {
        ready.wait()
        ready.signal()
        return value
    }
}
