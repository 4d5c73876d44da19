import Foundation
import Logging

/// `smsbatch: warning: message key=value` on standard error.
public struct HumanLogHandler: StandardErrorLogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String

    public init(label: String) { self.label = label }

    public func log(event: LogEvent) {
        var line = "smsbatch: "
        switch event.level {
        case .warning: line += "warning: "
        case .error, .critical: line += "error: "
        case .trace, .debug: line += "debug: "
        default: break
        }
        line += event.message.description
        let all = merged(event)
        if !all.isEmpty, event.level <= .debug || event.level >= .warning {
            line += " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        FileHandle.standardError.write(Data((Redaction.maskNumbers(in: line) + "\n").utf8))
    }
}
