import SMSCore

/// How snapshot files are written.
public struct SnapshotOptions: Sendable, Equatable {
    /// Text encoding of every file. Default UTF-8 (a BOM is skipped).
    public var encoding: TextEncoding = .utf8
    /// Field delimiter, one ASCII character. Default `,`; billing exports often use `|`.
    public var delimiter: UInt8 = UInt8(ascii: ",")

    public init(encoding: TextEncoding = .utf8, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.encoding = encoding
        self.delimiter = delimiter
    }
}

/// A snapshot as loaded: the good rows joined, with what was skipped.
public struct LoadedSnapshot: Sendable {
    public var snapshot: Snapshot
    public var report: LoadReport
}

/// What loading skipped and counted.
public struct LoadReport: Sendable, Equatable {
    /// Every bad row, by file in load order, then line.
    public var badRows: [BadRow] = []
    /// Rows whose msisdn is not in `subscribers.csv`, per file.
    public var orphans: [String: Int] = [:]
    /// Data rows read per file (good, bad and orphan).
    public var rowsRead: [String: Int] = [:]

    public init() {}

    public var orphanTotal: Int { orphans.values.reduce(0, +) }
}
