import Foundation

/// One self-rewriting line on a terminal for long runs: rows read, messages rendered, rate. Silent when standard
/// error is not a terminal. `@unchecked Sendable`: the counters are only touched under the lock.
public final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled: Bool
    private let start = Date()
    /// The line first shows after a second, so short runs never print it.
    private var last = Date().addingTimeInterval(0.5)
    private var rows = 0
    private var messages = 0
    private var shown = false

    public init(enabled: Bool = isatty(2) != 0) { self.enabled = enabled }

    public func read(rows n: Int) { update { rows += n } }
    public func rendered(messages n: Int) { update { messages += n } }

    private func update(_ change: () -> Void) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        change()
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.5 else { return }
        last = now
        let seconds = max(0.001, now.timeIntervalSince(start))
        let line = "\rsmsbatch: \(rows) rows read, \(messages) messages planned, \(Int(Double(rows + messages) / seconds)) per second "
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    /// Clears the line before the summary is printed.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}
