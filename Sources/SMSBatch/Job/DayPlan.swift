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
        try forEachChunk(size: size, encoded: false) { (chunk, _) throws(BatchError) in try body(chunk) }
    }

    /// The same, with each chunk's JSON Lines records (SPEC §6) encoded by the rendering workers.
    @discardableResult
    public func forEachEncodedChunk(size: Int = 4096, _ body: ([RenderedMessage], [UInt8]) throws(BatchError) -> Void) throws(BatchError) -> Int {
        try forEachChunk(size: size, encoded: true, body)
    }

    private func forEachChunk(size: Int, encoded: Bool, _ body: ([RenderedMessage], [UInt8]) throws(BatchError) -> Void) throws(BatchError) -> Int {
        var segments = 0
        var start = 0
        while start < entries.count {
            let end = min(start + size, entries.count)
            let (chunk, bytes) = try render(entries[start..<end], encoded: encoded)
            segments += chunk.reduce(0) { $0 + $1.segments }
            progress.rendered(messages: chunk.count)
            try body(chunk, bytes)
            start = end
        }
        progress.finish()
        return segments
    }

    private func render(_ slice: ArraySlice<PlanEntry>, encoded: Bool) throws(BatchError) -> ([RenderedMessage], [UInt8]) {
        let parts = min(ProcessInfo.activeCores, max(1, slice.count / 256))
        let results = ResultSlots(count: parts)
        let base = slice.startIndex
        let per = (slice.count + parts - 1) / parts
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lo = base + part * per, hi = min(base + (part + 1) * per, slice.endIndex)
            var out: [RenderedMessage] = []
            out.reserveCapacity(max(0, hi - lo))
            var bytes: [UInt8] = []
            if encoded { bytes.reserveCapacity(max(0, hi - lo) * 600) }
            do throws(TemplateError) {
                for i in lo..<hi {
                    let planned = planner.message(for: entries[i], in: snapshot, history: history)
                    let message = try renderer.render(planned)
                    if encoded { message.appendJSONRecord(to: &bytes) }
                    out.append(message)
                }
                results.set(part, .success(out), bytes)
            } catch {
                results.set(part, .failure(error), [])
            }
        }
        var all: [RenderedMessage] = []
        all.reserveCapacity(slice.count)
        var bytes: [UInt8] = []
        for part in 0..<parts {
            switch results.get(part) {
            case let .success(chunk): all += chunk
            case let .failure(error): throw BatchError(.configuration, error.description)
            case nil: continue
            }
            if encoded { bytes += results.bytes(part) }
        }
        return (all, bytes)
    }
}

/// Result slots written by parallel workers, one slot each. `@unchecked Sendable`: every access takes the lock.
final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<[RenderedMessage], TemplateError>?]
    private var encoded: [[UInt8]]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
        encoded = Array(repeating: [], count: count)
    }

    func set(_ i: Int, _ value: Result<[RenderedMessage], TemplateError>, _ bytes: [UInt8]) {
        lock.lock()
        slots[i] = value
        encoded[i] = bytes
        lock.unlock()
    }

    func bytes(_ i: Int) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return encoded[i]
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
