import Foundation
import Logging

/// Status lines for the operator through swift-log, on standard error (standard output belongs to the stdout gateway).
///
/// Every message and metadata value passes ``Redaction`` before it is written, so a whole number never reaches a log.
public struct Log: Sendable {
    public var logger: Logger

    public init(label: String = "smsbatch") {
        logger = Logger(label: label)
    }

    public func info(_ line: String, _ metadata: Logger.Metadata = [:]) {
        logger.info("\(line)", metadata: metadata)
    }

    public func debug(_ line: String, _ metadata: Logger.Metadata = [:]) {
        logger.debug("\(line)", metadata: metadata)
    }

    public func warning(_ line: String, _ metadata: Logger.Metadata = [:]) {
        logger.warning("\(line)", metadata: metadata)
    }

    public func error(_ line: String, _ metadata: Logger.Metadata = [:]) {
        logger.error("\(line)", metadata: metadata)
    }

    /// Sets up swift-log once per process: `human` lines or `json` lines on standard error, at `level`.
    /// Later calls do nothing.
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        guard Bootstrapped.shared.claim() else { return }
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch format {
                case .human: HumanLogHandler(label: label)
                case .json: JSONLogHandler(label: label)
                }
            handler.logLevel = level
            return handler
        }
    }
}

/// How log lines look.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `smsbatch: warning: …` with `key=value` metadata, for a person at a terminal.
    case human
    /// One JSON object per line: `ts`, `level`, `message`, then metadata.
    case json
}

/// Whether swift-log was set up; `@unchecked Sendable` because the flag is only touched under the lock.
final class Bootstrapped: @unchecked Sendable {
    static let shared = Bootstrapped()
    private let lock = NSLock()
    private var done = false

    /// True the first time only.
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}
