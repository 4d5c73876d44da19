import SMSCore
import SMSGateway
import SMSSnapshot

/// Everything a run can be told, with the operator's defaults.
///
/// Precedence: command-line flag > environment (`SMSBATCH_LEDGER_URL`) > config file > default.
public struct Configuration: Sendable, Equatable {
    /// The rules that exist (their types): the planner, loader, templates, lint, preview and settings follow it.
    /// Default: the product's rules (``RuleRegistry/standard``).
    public var registry = RuleRegistry.standard
    /// Stages, grace days, dnd rules and the like (SPEC §3).
    public var rules = RuleConfiguration()
    /// Encoding and delimiter of the snapshot files. Default UTF-8 and `,`.
    public var snapshot = SnapshotOptions()
    /// The zone in which calendar days and the send window are read. Default `Asia/Shanghai`.
    public var timeZone = "Asia/Shanghai"
    /// Signature put in `【】` in front of every text; empty for none. Default `中国移动`.
    public var signature = "中国移动"
    /// Folder of the templates. Default: `templates` in the working directory, else the one shipped with smsbatch.
    public var templateDirectory: String?
    /// Bad rows tolerated before a run stops. Default 0.
    public var maxBadRows = 0
    /// Folder for reject files. Default: the system's temporary folder.
    public var rejectDirectory: String?
    /// The ledger: a SQLite file, or a `postgres://user@host:port/db` URL for a ledger shared by several
    /// processes. Default `smsbatch-ledger.sqlite` in the working directory.
    public var ledger = "smsbatch-ledger.sqlite"
    /// How long a sender's claim on a shared (PostgreSQL) ledger lasts before another sender may take the messages
    /// over and send them again under the same ids. Default 300 seconds.
    public var leaseSeconds = 300
    /// The part of the subscribers this planner handles (`--shard k/N`). Default: all of them.
    public var shard = Shard.all
    /// `stdout`, `file:PATH` or an `http(s)://` URL. Default `stdout`.
    public var gateway = "stdout"
    /// Local times between which real sends happen. Default 08:00–21:00.
    public var sendWindow = SendWindow.standard
    /// Messages the gateway accepts per local day; `nil` for no cap. Default none.
    public var dailyQuota: Int?
    /// Messages one subscriber gets per local day, mandatory notices (trial expiry) not counted. Default 2.
    public var perSubscriberDailyCap: Int? = 2
    /// Whether a run records its plan and sends none of it until a reviewer approves the plan's digest
    /// (`smsbatch approve`). Default false.
    public var requireApproval = false
    /// After a crash, send again the messages a stopped run was writing to a file that can no longer be read back
    /// (moved, deleted), accepting that some may be written twice. Default false: the run stops instead.
    public var requeueUnconfirmed = false
    /// Messages handed to the gateway per call and per ledger transaction. Default (`nil`): 500 over HTTP, 4,000 to
    /// a file or standard output, where larger ledger transactions save more than they risk.
    public var batchSize: Int?

    /// The batch size for a gateway, remote (HTTP) or local.
    public func batchSize(remote: Bool) -> Int { batchSize ?? (remote ? 500 : 4_000) }

    /// Messages rendered at a time (on all cores) between writes: 8 batches.
    var renderChunk: Int { batchSize(remote: true) * 8 }

    /// Whether the gateway is a remote (HTTP or CMPP) one.
    public var gatewayIsRemote: Bool { gateway.hasPrefix("http://") || gateway.hasPrefix("https://") || gateway.hasPrefix("cmpp://") }
    /// Price of one SMS segment in fen, for the preview's cost estimate. Default 5 (0.05 元).
    public var pricePerSegmentFen = 5.0
    /// Segments a text may take at worst before `lint` warns. Default 2.
    public var segmentBudget = 2
    /// Concurrency, rate, time-outs, retries of the HTTP gateway.
    public var http = HTTPOptions()

    public init() {}
}

/// A daily window of local time, minutes after midnight, start inclusive, end exclusive.
public struct SendWindow: Sendable, Equatable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public static let standard = SendWindow(start: 8 * 60, end: 21 * 60)

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM-HH:MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters() }
        guard parts.count == 2, let s = SendWindow.minutes(parts[0]), let e = SendWindow.minutes(parts[1]), s < e else { return nil }
        self.init(start: s, end: e)
    }

    static func minutes(_ text: String) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m),
            h * 60 + m <= 24 * 60
        else { return nil }
        return h * 60 + m
    }

    public func contains(minuteOfDay: Int) -> Bool { minuteOfDay >= start && minuteOfDay < end }

    public var description: String { SendWindow.clock(start) + "–" + SendWindow.clock(end) }

    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
