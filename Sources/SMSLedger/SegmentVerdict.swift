/// What the status reports of a message's segments say about the whole message (issue 17).
public enum SegmentVerdict: Sendable, Equatable {
    /// Every segment's report is `DELIVRD`.
    case delivered
    /// A segment's report is something else: the first such code in segment order.
    case undelivered(code: String)

    /// The verdict for each message among `rows` (message position, segment number, the report's code if one
    /// came); a message some of whose segments have no report yet and none failed has no verdict yet.
    static func of(_ rows: [(seq: Int, part: Int, code: String?)]) -> [Int: SegmentVerdict] {
        var verdicts: [Int: SegmentVerdict] = [:]
        for (seq, parts) in Dictionary(grouping: rows, by: \.seq) {
            let ordered = parts.sorted { $0.part < $1.part }
            if let failed = ordered.first(where: { $0.code != nil && $0.code != "DELIVRD" }) {
                verdicts[seq] = .undelivered(code: failed.code ?? "")
            } else if ordered.allSatisfy({ $0.code == "DELIVRD" }) {
                verdicts[seq] = .delivered
            }
        }
        return verdicts
    }

    var delivery: String {
        if case .delivered = self { return "delivered" }
        return "undelivered"
    }

    var code: String {
        switch self {
        case .delivered: "DELIVRD"
        case let .undelivered(code): code
        }
    }
}
