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
    /// chunk to `body`. Returns the total number of segments.
    @discardableResult
    public func forEachChunk(size: Int = 4096, _ body: ([RenderedMessage]) throws(BatchError) -> Void) throws(BatchError) -> Int {
        var segments = 0
        var start = 0
        while start < entries.count {
            let end = min(start + size, entries.count)
            let chunk = try render(entries[start..<end]).get()
            segments += chunk.reduce(0) { $0 + $1.segments }
            progress.rendered(messages: chunk.count)
            try body(chunk)
            start = end
        }
        progress.finish()
        return segments
    }

    /// Renders every message in send order as JSON Lines records (SPEC §6), `size` at a time, and hands each chunk's
    /// bytes to `body`. Rendering chunk k+1 (on all cores) overlaps `body` writing chunk k. Returns the total number of
    /// segments.
    @discardableResult
    public func forEachEncodedChunk(size: Int = 4096, _ body: ([UInt8]) throws(BatchError) -> Void) throws(BatchError) -> Int {
        var segments = 0
        var start = 0
        var ready: [UInt8]?
        while start < entries.count {
            let end = min(start + size, entries.count)
            let next = Pending<(bytes: [UInt8], segments: Int)>()
            let plan = self
            let range = start..<end
            DispatchQueue.global().async { next.set(plan.encode(plan.entries[range])) }
            if let ready { try body(ready) }
            let (bytes, chunkSegments) = try next.wait().get()
            segments += chunkSegments
            progress.rendered(messages: end - start)
            ready = bytes
            start = end
        }
        if let ready { try body(ready) }
        progress.finish()
        return segments
    }

    /// Renders a slice on all cores, keeping the messages.
    private func render(_ slice: ArraySlice<PlanEntry>) -> Result<[RenderedMessage], BatchError> {
        inParts(slice) { (range) throws(TemplateError) -> [RenderedMessage] in
            var out: [RenderedMessage] = []
            out.reserveCapacity(range.count)
            for i in range { out.append(try renderer.render(planner.message(for: entries[i], in: snapshot, history: history))) }
            return out
        }.map { (parts: [[RenderedMessage]]) in parts.flatMap { $0 } }
    }

    /// Renders a slice on all cores straight into JSON Lines bytes; the messages themselves are not kept.
    private func encode(_ slice: ArraySlice<PlanEntry>) -> Result<(bytes: [UInt8], segments: Int), BatchError> {
        inParts(slice) { (range) throws(TemplateError) -> (bytes: [UInt8], segments: Int) in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(range.count * 600)
            var segments = 0
            for i in range {
                let message = try renderer.render(planner.message(for: entries[i], in: snapshot, history: history))
                message.appendJSONRecord(to: &bytes)
                segments += message.segments
            }
            return (bytes, segments)
        }.map { (parts: [(bytes: [UInt8], segments: Int)]) in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(parts.reduce(0) { $0 + $1.bytes.count })
            for part in parts { bytes += part.bytes }
            return (bytes, parts.reduce(0) { $0 + $1.segments })
        }
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
