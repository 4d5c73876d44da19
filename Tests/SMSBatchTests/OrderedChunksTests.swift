import Dispatch
import Foundation
import Testing

@testable import SMSBatch

@Suite struct OrderedChunksTests {
    /// Workers finishing out of order still hand chunks over in chunk order.
    @Test func theConsumerTakesChunksInOrderWhateverOrderTheyAreMadeIn() {
        let made = OrderedChunks<Int>(window: 8)
        DispatchQueue.global().async {
            for k in [3, 1, 0, 2, 5, 4] {
                _ = made.mayMake(k)
                made.put(k, .success(k * 10))
            }
        }
        let taken = (0..<6).map { _ in try? made.take().get() }
        #expect(taken == [0, 10, 20, 30, 40, 50])
    }

    /// A worker may run at most `window` chunks ahead of the consumer, so memory stays bounded.
    @Test func workersWaitWhenTheyAreAWindowAhead() {
        let made = OrderedChunks<Int>(window: 2)
        #expect(made.mayMake(0) && made.mayMake(1))
        let third = DispatchSemaphore(value: 0)
        let allowed = Box()
        DispatchQueue.global().async {
            allowed.set(made.mayMake(2))
            third.signal()
        }
        #expect(third.wait(timeout: .now() + 0.3) == .timedOut, "chunk 2 waits while 0 and 1 are not taken")
        made.put(0, .success(0))
        _ = made.take()
        #expect(third.wait(timeout: .now() + 5) == .success)
        #expect(allowed.value == true)
    }

    /// After the consumer stops (an error), waiting workers are let go and told not to make more.
    @Test func stoppingReleasesWaitingWorkers() {
        let made = OrderedChunks<Int>(window: 1)
        #expect(made.mayMake(0))
        let done = DispatchSemaphore(value: 0)
        let allowed = Box()
        DispatchQueue.global().async {
            allowed.set(made.mayMake(1))
            done.signal()
        }
        made.stop()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(allowed.value == false)
    }

    /// A flag written by one thread and read by another. `@unchecked Sendable`: the lock guards `value`.
    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Bool?
        var value: Bool? { lock.lock(); defer { lock.unlock() }; return stored }
        func set(_ v: Bool) { lock.lock(); stored = v; lock.unlock() }
    }
}
