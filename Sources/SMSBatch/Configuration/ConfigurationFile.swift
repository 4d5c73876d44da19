import Foundation
import SMSCore
import SMSGateway
import SMSSnapshot

/// Reads a JSON configuration file into a ``Configuration``: one object whose keys are declared in
/// ``Configuration/declarations(_:)`` (all optional). Paths are relative to the file's folder.
public enum ConfigurationFile {
    /// Every key, in declaration order.
    public static var keys: [String] { Configuration.declarations().map(\.key) }

    /// Applies the file at `path` on top of `base`.
    public static func load(_ path: String, onto base: Configuration = Configuration()) throws(ConfigurationError) -> Configuration {
        try loadWithKeys(path, onto: base).configuration
    }

    /// Applies the file at `path` on top of `base`, and says which keys it set.
    public static func loadWithKeys(
        _ path: String, onto base: Configuration = Configuration()
    ) throws(ConfigurationError) -> (configuration: Configuration, keys: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(file: path, key: nil, message: "cannot be read (missing or not permitted)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ConfigurationError(file: path, key: nil, message: "is not valid JSON (\(error.localizedDescription))")
        }
        guard let dict = object as? [String: Any] else {
            throw ConfigurationError(file: path, key: nil, message: "must hold one JSON object of settings")
        }
        let folder = (path as NSString).deletingLastPathComponent
        return (try apply(dict, onto: base, file: path, folder: folder), Array(dict.keys))
    }

    static func apply(_ dict: [String: Any], onto base: Configuration, file: String, folder: String) throws(ConfigurationError) -> Configuration {
        var c = base
        let declarations = Configuration.declarations(base.registry)
        let known = Set(declarations.map(\.key))
        for key in dict.keys.sorted() where !known.contains(key) {
            let hint = closest(to: key).map { "; did you mean '\($0)'?" } ?? ""
            throw ConfigurationError(file: file, key: key, message: "is not a setting\(hint)")
        }
        let context = SettingContext(folder: folder)
        for declaration in declarations {
            guard let value = dict[declaration.key] else { continue }
            do throws(SettingProblem) {
                try declaration.apply(input(value), context: context, to: &c)
            } catch {
                throw ConfigurationError(file: file, key: declaration.key, message: error.message)
            }
        }
        return c
    }

    /// A JSON value as ``SettingInput`` (on Linux, numbers also answer `is Bool`, so booleans are told by their class).
    static func input(_ value: Any) -> SettingInput {
        switch value {
        case is NSNull: return .null
        case let s as String: return .text(s)
        case let list as [Any]: return .list(list.map(input))
        case let object as [String: Any]: return .object(object.mapValues(input))
        default:
            if String(describing: type(of: value)).contains("Boolean") || type(of: value) == Bool.self, let b = value as? Bool { return .bool(b) }
            if let n = value as? Double { return .number(n) }
            return .null
        }
    }

    /// The known key nearest to `key` by edit distance, when it is near enough to be a typo.
    public static func closest(to key: String) -> String? {
        let scored = keys.map { ($0, editDistance(Array(key), Array($0))) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, best.count / 3) else { return nil }
        return best
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }

}

extension Configuration {
    /// One ASCII character, or the names `tab`, `\t`, `pipe`, `comma`.
    public static func delimiter(_ text: String) -> UInt8? {
        switch text {
        case "tab", "\\t", "\t": return 0x09
        case "pipe": return UInt8(ascii: "|")
        case "comma": return UInt8(ascii: ",")
        default:
            let u = Array(text.utf8)
            guard u.count == 1, u[0] < 0x80, u[0] != 0x22, u[0] != 0x0A, u[0] != 0x0D else { return nil }
            return u[0]
        }
    }
}

/// A configuration that cannot be used.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String?
    public var key: String?
    public var message: String

    public init(file: String?, key: String?, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        var s = file.map { "\($0): " } ?? ""
        if let key { s += "'\(key)' " }
        return s + message
    }
}
