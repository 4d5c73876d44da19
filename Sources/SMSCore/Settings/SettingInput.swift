/// A setting's value as a configuration file holds it: JSON, read by the caller (the core reads no files).
public indirect enum SettingInput: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case text(String)
    case list([SettingInput])
    case object([String: SettingInput])

    /// A whole number, when the value is one.
    public var wholeNumber: Int? {
        guard case let .number(n) = self, n == n.rounded(), abs(n) < 1e15 else { return nil }
        return Int(n)
    }

    /// The text, when the value is text.
    public var text: String? {
        guard case let .text(s) = self else { return nil }
        return s
    }
}

/// What reading a setting needs besides its value: the folder relative paths start from.
public struct SettingContext: Sendable {
    /// The configuration file's folder (empty: the working directory).
    public var folder: String

    public init(folder: String = "") { self.folder = folder }

    /// `path` made absolute against ``folder`` (absolute paths are kept).
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") || folder.isEmpty ? path : folder + (folder.hasSuffix("/") ? "" : "/") + path
    }
}

/// Why a setting's value cannot be used: a sentence that follows the key, e.g. "must be a whole number ≥ 1".
public struct SettingProblem: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
