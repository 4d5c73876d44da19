import Dispatch
import Foundation
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
    /// Segments of every message sent or recorded, once rendered by ``forEachChunk(size:_:)``.
    public var segments = 0
    /// Messages held instead of sent (SPEC §5), once rendered.
    public var held = 0
    /// The plan's digest (``PlanDigest``: its messages that are not held, in send order), when it was computed.
    public var digest: String?
    /// Under the approval gate: messages of the plan released at once because its digest was approved before the run.
    public var released = 0
    /// Under the approval gate: approvals given before the run that wait for another digest (the data changed).
    public var otherApprovals: [String] = []

    let entries: [PlanEntry]
    let snapshot: Snapshot
    let history: InMemoryKeyHistory
    let planner: Planner
    let renderer: Renderer
    let progress: ProgressLine

    /// Messages planned.
    public var count: Int { entries.count }

    /// Subscribers and points at stake per points-clearing stage (the care plan's 待清零客户数 and 待清零积分数).
    public var pointsAtStake: [Int: PointsAtStake] { planner.pointsAtStake(entries, in: snapshot, history: history) }

    /// Renders every message in send order, `size` at a time, and hands each chunk to `body` (held messages
    /// included, marked). Chunks are rendered on all cores, ahead of `body`. Sets ``segments`` (of the messages not
    /// held) and ``held``.
    public mutating func forEachChunk(size: Int = 4096, _ body: ([RenderedMessage]) throws(BatchError) -> Void) throws(BatchError) {
        (segments, held) = try pipelined(size: size, DayPlan.render) { (chunk) throws(BatchError) -> (Int, Int) in
            try body(chunk)
            var totals = (0, 0)
            for m in chunk {
                if m.hold == nil { totals.0 += m.segments } else { totals.1 += 1 }
            }
            return totals
        }
    }

    /// The same as JSON Lines records (SPEC §6): each chunk's bytes go to `body`; the messages are not kept, and a
    /// held message writes no record.
    public mutating func forEachEncodedChunk(size: Int = 4096, _ body: ([UInt8]) throws(BatchError) -> Void) throws(BatchError) {
        (segments, held) = try pipelined(size: size, DayPlan.encode) { (chunk) throws(BatchError) -> (Int, Int) in
            try body(chunk.bytes)
            return (chunk.segments, chunk.held)
        }
    }

    /// Makes chunks of `size` entries on one worker per core (worker w makes chunks w, w + workers, …), at most two
    /// chunks per worker ahead of `consume`, which takes them in order on this thread; sums what `consume` returns.
    /// A worker renders a whole chunk, so no core waits for another to finish its part of the same chunk.
    private func pipelined<T: Sendable>(
        size: Int, _ produce: @escaping @Sendable (DayPlan, ArraySlice<PlanEntry>) -> Result<T, BatchError>,
        _ consume: (T) throws(BatchError) -> (Int, Int)
    ) throws(BatchError) -> (Int, Int) {
        let size = max(1, size)
        let chunks = (entries.count + size - 1) / size
        let workers = min(ProcessInfo.activeCores, chunks)
        let made = OrderedChunks<T>(window: 2 * workers)
        let group = DispatchGroup()
        let plan = self
        for w in 0..<workers {
            DispatchQueue.global().async(group: group) {
                var k = w
                while k < chunks, made.mayMake(k) {
                    let range = (k * size)..<min((k + 1) * size, plan.entries.count)
                    made.put(k, produce(plan, plan.entries[range]))
                    k += workers
                }
            }
        }
        defer {
            made.stop()
            group.wait()
        }
        var total = (0, 0)
        for k in 0..<chunks {
            let sums = try consume(made.take().get())
            total = (total.0 + sums.0, total.1 + sums.1)
            progress.rendered(messages: min((k + 1) * size, entries.count) - k * size)
        }
        progress.finish()
        return total
    }

    /// Renders a slice, keeping the messages.
    private static func render(_ plan: DayPlan, _ slice: ArraySlice<PlanEntry>) -> Result<[RenderedMessage], BatchError> {
        var out: [RenderedMessage] = []
        out.reserveCapacity(slice.count)
        do throws(TemplateError) {
            for i in slice.indices { out.append(try plan.message(i)) }
        } catch {
            return .failure(BatchError(.configuration, error.description))
        }
        return .success(out)
    }

    /// Renders a slice straight into JSON Lines bytes; the messages themselves are not kept.
    private static func encode(_ plan: DayPlan, _ slice: ArraySlice<PlanEntry>) -> Result<(bytes: [UInt8], segments: Int, held: Int), BatchError> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(slice.count * 600)
        var segments = 0, held = 0
        var scratch: [UInt8] = []
        scratch.reserveCapacity(512)
        do throws(TemplateError) {
            for i in slice.indices {
                let planned = plan.planner.message(for: plan.entries[i], in: plan.snapshot, history: plan.history)
                let (n, hold) = try plan.renderer.encode(planned, scratch: &scratch, into: &bytes)
                if hold == nil { segments += n } else { held += 1 }
            }
        } catch {
            return .failure(BatchError(.configuration, error.description))
        }
        return .success((bytes, segments, held))
    }

    /// The message of entry `i`, rendered.
    private func message(_ i: Int) throws(TemplateError) -> RenderedMessage {
        try renderer.render(planner.message(for: entries[i], in: snapshot, history: history))
    }
}

extension ProcessInfo {
    /// Cores to render on.
    static var activeCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
