import Foundation
import Testing

@testable import SMSCore
@testable import SMSGateway

/// After a crash, the records a dead run wrote are found by the claim's tag; a cut last line is removed.
@Suite struct FileGatewayRecoveryTests {
    func message(_ n: Int) -> RenderedMessage {
        RenderedMessage(
            id: String(format: "%032x", n), msisdn: "13800138000", rule: .trialExpiry, keys: ["k\(n)"], text: "【中国移动】好",
            units: 7, segments: 1, stars: 3, brand: .gotone, template: "t")
    }

    @Test func recordsAfterTheTagAreFoundAndACutLineIsCutOff() throws {
        let path = NSTemporaryDirectory() + "smsbatch-fg-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let gateway = try FileGateway(path: path)
        _ = try gateway.deliverAll([message(1)])
        let tag = try #require(gateway.claimTag())
        _ = try gateway.deliverAll([message(2), message(3)])
        // A record cut short by a crash: no line break.
        var cut: [UInt8] = []
        message(4).appendJSONRecord(to: &cut)
        try gateway.append(encoded: Array(cut.dropLast(20)))
        let ids = try #require(try FileGateway.writtenIDs(since: tag))
        #expect(ids == [message(2).id, message(3).id], "only what follows the tag, only whole records")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n") && text.split(separator: "\n").count == 3)
    }

    /// A file that is gone or replaced cannot tell what was written: recovery stops rather than write twice.
    @Test func aFileThatIsGoneOrReplacedStopsTheRecovery() throws {
        let path = NSTemporaryDirectory() + "smsbatch-fg-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tag = try #require(try FileGateway(path: path).claimTag())
        #expect(tag.hasSuffix(":" + path) && tag.contains(":/"), "the tag carries the absolute path")
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: GatewayError.self) { try FileGateway.writtenIDs(since: tag) }
        try "other\n".write(toFile: path + ".new", atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(atPath: path + ".new", toPath: path)
        let replaced = tag.split(separator: ":", maxSplits: 4).enumerated().map { $0.offset == 2 ? "1" : String($0.element) }.joined(separator: ":")
        #expect(throws: GatewayError.self) { try FileGateway.writtenIDs(since: replaced) }
        #expect(try FileGateway.writtenIDs(since: "not a tag") == nil)
    }

    /// A file left ending in half a record (a writer died mid-write) is mended before the first record is appended,
    /// so no record is glued to the broken one.
    @Test func aHalfWrittenLastLineIsCutBeforeWriting() throws {
        let path = NSTemporaryDirectory() + "smsbatch-fg-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        var whole: [UInt8] = []
        message(1).appendJSONRecord(to: &whole)
        var cut: [UInt8] = []
        message(2).appendJSONRecord(to: &cut)
        try Data(whole + cut.dropLast(30)).write(to: URL(fileURLWithPath: path))
        _ = try FileGateway(path: path).deliverAll([message(3)])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.compactMap { FileGateway.recordID(ArraySlice(Array($0.utf8))) } == [message(1).id, message(3).id])
    }
}
