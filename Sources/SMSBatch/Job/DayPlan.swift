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
            let chunk = try render(entries[start..<end])
            segments += chunk.reduce(0) { $0 + $1.segments }
            try body(chunk)
            start = end
        }
        return segments
    }

    /// Every message at once (small plans and tests).
    public func messages() throws(BatchError) -> [RenderedMessage] {
        var all: [RenderedMessage] = []
        all.reserveCapacity(entries.count)
        try forEachChunk { all += $0 }
        return all
    }

    private func render(_ slice: ArraySlice<PlanEntry>) throws(BatchError) -> [RenderedMessage] {
        let parts = min(ProcessInfo.activeCores, max(1, slice.count / 256))
        let results = ResultSlots(count: parts)
        let base = slice.startIndex
        let per = (slice.count + parts - 1) / parts
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lo = base + part * per, hi = min(base + (part + 1) * per, slice.endIndex)
            var out: [RenderedMessage] = []
            out.reserveCapacity(max(0, hi - lo))
            do throws(TemplateError) {
                for i in lo..<hi {
                    let planned = planner.message(for: entries[i], in: snapshot, history: history)
                    out.append(try renderer.render(planned))
                }
                results.set(part, .success(out))
            } catch {
                results.set(part, .failure(error))
            }
        }
        var all: [RenderedMessage] = []
        all.reserveCapacity(slice.count)
        for part in 0..<parts {
            switch results.get(part) {
            case let .success(chunk): all += chunk
            case let .failure(error): throw BatchError(.configuration, error.description)
            case nil: continue
            }
        }
        return all
    }
}

/// Result slots written by parallel workers, one slot each. `@unchecked Sendable`: every access takes the lock.
final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<[RenderedMessage], TemplateError>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<[RenderedMessage], TemplateError>) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func get(_ i: Int) -> Result<[RenderedMessage], TemplateError>? {
        lock.lock()
        defer { lock.unlock() }
        return slots[i]
    }
}

import Foundation

extension ProcessInfo {
    /// Cores to render on.
    static var activeCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
