import Foundation

/// Chunks made by several workers and taken by one consumer in chunk order, with at most `window` chunks made
/// ahead of the consumer (so memory stays bounded however far the workers could run).
///
/// `@unchecked Sendable`: every field is read and written under `condition`'s lock.
final class OrderedChunks<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Result<T, BatchError>] = [:]
    /// The chunk the consumer takes next.
    private var next = 0
    private var stopped = false
    private let window: Int

    init(window: Int) { self.window = max(1, window) }

    /// Waits until chunk `k` may be made; `false` when the consumer stopped (the worker should end).
    func mayMake(_ k: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && k >= next + window { condition.wait() }
        return !stopped
    }

    /// Hands over chunk `k`.
    func put(_ k: Int, _ result: Result<T, BatchError>) {
        condition.lock()
        ready[k] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the next chunk in order and takes it.
    func take() -> Result<T, BatchError> {
        condition.lock()
        defer { condition.unlock() }
        while ready[next] == nil { condition.wait() }
        let result = ready.removeValue(forKey: next)!
        next += 1
        condition.broadcast()
        return result
    }

    /// Tells the workers to end after the chunk they are making.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
