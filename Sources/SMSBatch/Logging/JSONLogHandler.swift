import Foundation
import Logging
import SMSCore

/// One JSON object per line on standard error: `ts`, `level`, `message`, then metadata keys.
public struct JSONLogHandler: StandardErrorLogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String

    public init(label: String) { self.label = label }

    public func log(event: LogEvent) {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var line = "{\"ts\":" + JSONText.string(f.string(from: Date()))
        line += ",\"level\":" + JSONText.string(event.level.rawValue)
        line += ",\"logger\":" + JSONText.string(label)
        line += ",\"message\":" + JSONText.string(Redaction.maskNumbers(in: event.message.description))
        let all = merged(event)
        for (key, value) in all.sorted(by: { $0.key < $1.key }) where !["ts", "level", "logger", "message"].contains(key) {
            line += "," + JSONText.string(key) + ":" + JSONLogHandler.json(value)
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case let .string(s):
            if let n = Int(s), String(n) == s, s.count < 11 { return s }
            return JSONText.string(Redaction.maskNumbers(in: s))
        case let .stringConvertible(c): return JSONText.string(Redaction.maskNumbers(in: c.description))
        case let .array(a): return "[" + a.map(json).joined(separator: ",") + "]"
        case let .dictionary(d):
            return "{" + d.sorted { $0.key < $1.key }.map { JSONText.string($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        }
    }
}
