import Foundation

/// Status lines for the operator, on standard error (standard output belongs to the stdout gateway).
public struct Log: Sendable {
    public var quiet: Bool

    public init(quiet: Bool = false) { self.quiet = quiet }

    public func info(_ line: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data(("smsbatch: " + line + "\n").utf8))
    }

    public func warning(_ line: String) {
        FileHandle.standardError.write(Data(("smsbatch: warning: " + line + "\n").utf8))
    }

    public func error(_ line: String) {
        FileHandle.standardError.write(Data(("smsbatch: error: " + line + "\n").utf8))
    }
}
