import Foundation

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
