/// A text as the UCS-2 short messages that carry it (SPEC §4): one message of at most 70 UTF-16 units, or
/// segments of at most 67 units, each behind the concatenation header `05 00 03 ref total seq` (TP_udhi = 1).
public struct LongMessage: Sendable, Equatable {
    /// One short message: its user data (header included) and whether it starts with a header.
    public struct Segment: Sendable, Equatable {
        public var content: [UInt8]
        public var hasHeader: Bool
    }

    public static let singleLimit = 70
    public static let segmentLimit = 67

    public var segments: [Segment]

    /// Splits `text`; `reference` names the whole message in every segment's header (one per message).
    /// A segment that would end in a high surrogate ends one unit earlier, so an emoji or a rare 汉字 is not cut —
    /// unless that would take one segment more than SPEC §4 counts (⌈units / 67⌉, what the plan, the cost and the
    /// dry run say): then the text is cut every 67 units, and the handset joins the pair again when it reassembles.
    public init(text: String, reference: UInt8) {
        let units = Array(text.utf16)
        guard units.count > LongMessage.singleLimit else {
            segments = [Segment(content: LongMessage.ucs2(units[...]), hasHeader: false)]
            return
        }
        var parts = LongMessage.parts(units, keepingPairs: true)
        if parts.count > (units.count + LongMessage.segmentLimit - 1) / LongMessage.segmentLimit {
            parts = LongMessage.parts(units, keepingPairs: false)
        }
        let total = UInt8(min(parts.count, 255))
        segments = parts.prefix(255).enumerated().map { i, part in
            Segment(content: [0x05, 0x00, 0x03, reference, total, UInt8(i + 1)] + LongMessage.ucs2(part), hasHeader: true)
        }
    }

    /// `units` in runs of at most 67, each ending before a high surrogate when `keepingPairs`.
    static func parts(_ units: [UInt16], keepingPairs: Bool) -> [ArraySlice<UInt16>] {
        var parts: [ArraySlice<UInt16>] = []
        var start = 0
        while start < units.count {
            var end = min(start + LongMessage.segmentLimit, units.count)
            if keepingPairs, end < units.count, UTF16.isLeadSurrogate(units[end - 1]) { end -= 1 }
            parts.append(units[start..<end])
            start = end
        }
        return parts
    }

    /// UTF-16 code units, big-endian (UCS-2 as CMPP's Msg_Fmt 8 carries it).
    static func ucs2(_ units: ArraySlice<UInt16>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(units.count * 2)
        for u in units {
            out.append(UInt8(u >> 8))
            out.append(UInt8(u & 0xFF))
        }
        return out
    }

    /// The text of UCS-2 user data (a header, when `hasHeader`, skipped).
    public static func text(of content: [UInt8], hasHeader: Bool) -> String {
        var body = content[...]
        if hasHeader, let length = body.first { body = body.dropFirst(Int(length) + 1) }
        var units: [UInt16] = []
        var i = body.startIndex
        while i + 1 < body.endIndex {
            units.append(UInt16(body[i]) << 8 | UInt16(body[i + 1]))
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }
}
