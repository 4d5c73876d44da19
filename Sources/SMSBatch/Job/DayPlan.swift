import Dispatch
import SMSCore
import SMSSnapshot

/// One day's work, planned and ready to render in send order.
///
/// Messages are rendered on demand, a chunk at a time, so that a province-sized night never holds every text in
/// memory at once.
public struct DayPlan: Sendable {
    public var asOf: CalendarDate
    public var statistics: PlanStatistics
    public var report: LoadReport
    /// Where bad rows were written, when there were any.
    public var rejectFile: String?
    /// Segments of every message, once they have been rendered by ``forEachChunk(size:_:)``.
    public var segments = 0

    let entries: [PlanEntry]
    let snapshot: Snapshot
    let history: InMemoryKeyHistory
    let planner: Planner
    let renderer: Renderer
    let progress: ProgressLine

    /// Messages planned.
    public var count: Int { entries.count }

    /// Renders every message in send order, `size` at a time (each chunk rendered on all cores), and hands each
    /// chunk to `body`; rendering chunk k+1 overlaps `body` with chunk k. Returns the total number of segments.
    @discardableResult
    public func forEachChunk(size: Int = 4096, _ body: ([RenderedMessage]) throws(BatchError) -> Void) throws(BatchError) -> Int {
        try pipelined(size: size, DayPlan.render) { (chunk) throws(BatchError) -> Int in
            try body(chunk)
            return chunk.reduce(0) { $0 + $1.segments }
        }
    }

    /// The same as JSON Lines records (SPEC §6): each chunk's bytes go to `body`; the messages are not kept.
    @discardableResult
    public func forEachEncodedChunk(size: Int = 4096, _ body: ([UInt8]) throws(BatchError) -> Void) throws(BatchError) -> Int {
        try pipelined(size: size, DayPlan.encode) { (chunk) throws(BatchError) -> Int in
            try body(chunk.bytes)
            return chunk.segments
        }
    }

    /// Produces chunks of `size` entries on other threads, one chunk ahead of `consume` on this one; sums what
    /// `consume` returns.
    private func pipelined<T: Sendable>(size: Int, _ produce: @escaping @Sendable (DayPlan, ArraySlice<PlanEntry>) -> Result<T, BatchError>,
                                        _ consume: (T) throws(BatchError) -> Int) throws(BatchError) -> Int {
        var total = 0
        var start = 0
        var ready: T?
        var readyCount = 0
        while start < entries.count {
            let end = min(start + size, entries.count)
            let next = Pending<T>()
            let plan = self
            let range = start..<end
            DispatchQueue.global().async { next.set(produce(plan, plan.entries[range])) }
            if let chunk = ready {
                total += try consume(chunk)
                progress.rendered(messages: readyCount)
            }
            ready = try next.wait().get()
            readyCount = end - start
            start = end
        }
        if let chunk = ready {
            total += try consume(chunk)
            progress.rendered(messages: readyCount)
        }
        progress.finish()
        return total
    }

    /// Renders a slice on all cores, keeping the messages.
    private static func render(_ plan: DayPlan, _ slice: ArraySlice<PlanEntry>) -> Result<[RenderedMessage], BatchError> {
        plan.inParts(slice) { (range) throws(TemplateError) -> [RenderedMessage] in
            var out: [RenderedMessage] = []
            out.reserveCapacity(range.count)
            for i in range { out.append(try plan.message(i)) }
            return out
        }.map { (parts: [[RenderedMessage]]) in parts.flatMap { $0 } }
    }

    /// Renders a slice on all cores straight into JSON Lines bytes; the messages themselves are not kept.
    private static func encode(_ plan: DayPlan, _ slice: ArraySlice<PlanEntry>) -> Result<(bytes: [UInt8], segments: Int), BatchError> {
        plan.inParts(slice) { (range) throws(TemplateError) -> (bytes: [UInt8], segments: Int) in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(range.count * 600)
            var segments = 0
            var scratch: [UInt8] = []
            scratch.reserveCapacity(512)
            for i in range {
                let planned = plan.planner.message(for: plan.entries[i], in: plan.snapshot, history: plan.history)
                segments += try plan.renderer.encode(planned, scratch: &scratch, into: &bytes)
            }
            return (bytes, segments)
        }.map { (parts: [(bytes: [UInt8], segments: Int)]) in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(parts.reduce(0) { $0 + $1.bytes.count })
            for part in parts { bytes += part.bytes }
            return (bytes, parts.reduce(0) { $0 + $1.segments })
        }
    }

    /// The message of entry `i`, rendered.
    private func message(_ i: Int) throws(TemplateError) -> RenderedMessage {
        try renderer.render(planner.message(for: entries[i], in: snapshot, history: history))
    }

    /// Runs `work` over contiguous parts of `slice` on all cores; the parts' results in order, or the first error.
    private func inParts<T: Sendable>(_ slice: ArraySlice<PlanEntry>,
                                      _ work: @Sendable (Range<Int>) throws(TemplateError) -> T) -> Result<[T], BatchError> {
        let parts = min(ProcessInfo.activeCores, max(1, slice.count / 256))
        let results = ResultSlots<T>(count: parts)
        let base = slice.startIndex
        let per = (slice.count + parts - 1) / parts
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (base + part * per)..<min(base + (part + 1) * per, slice.endIndex)
            do throws(TemplateError) {
                results.set(part, .success(try work(range)))
            } catch {
                results.set(part, .failure(error))
            }
        }
        var all: [T] = []
        for part in 0..<parts {
            switch results.get(part) {
            case let .success(value): all.append(value)
            case let .failure(error): return .failure(BatchError(.configuration, error.description))
            case nil: continue
            }
        }
        return .success(all)
    }
}

/// Result slots written by parallel workers, one slot each. `@unchecked Sendable`: every access takes the lock.
final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var slots: [Result<T, TemplateError>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<T, TemplateError>) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func get(_ i: Int) -> Result<T, TemplateError>? {
        lock.lock()
        defer { lock.unlock() }
        return slots[i]
    }
}

/// A value computed on another thread, waited for once. `@unchecked Sendable`: the semaphore orders the one write
/// before the one read.
final class Pending<T: Sendable>: @unchecked Sendable {
    private var value: Result<T, BatchError>?
    private let done = DispatchSemaphore(value: 0)

    func set(_ result: Result<T, BatchError>) {
        value = result
        done.signal()
    }

    func wait() -> Result<T, BatchError> {
        done.wait()
        return value!
    }
}

import Foundation

extension ProcessInfo {
    /// Cores to render on.
    static var activeCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
