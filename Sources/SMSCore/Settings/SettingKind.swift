/// How one kind of value is read from a configuration file and written back as JSON (for `smsbatch config` and the
/// README's table).
public struct SettingKind<Value: Sendable>: Sendable {
    /// What a valid value looks like, for errors and the README ("a whole number ≥ 1").
    public let expected: String
    let reader: @Sendable (SettingInput, SettingContext) throws(SettingProblem) -> Value
    let writer: @Sendable (Value) -> String

    /// The value `input` holds, or why it is none.
    public func read(_ input: SettingInput, _ context: SettingContext = SettingContext()) throws(SettingProblem) -> Value {
        try reader(input, context)
    }

    /// The value as JSON.
    public func write(_ value: Value) -> String { writer(value) }

    /// A kind whose reader returns `nil` for a value that is not one (the error then says "must be `expected`").
    public init(
        expected: String, read: @escaping @Sendable (SettingInput, SettingContext) -> Value?,
        write: @escaping @Sendable (Value) -> String
    ) {
        self.expected = expected
        reader = { (input, context) throws(SettingProblem) -> Value in
            guard let value = read(input, context) else { throw SettingProblem("must be " + expected) }
            return value
        }
        writer = write
    }

    /// A kind whose reader gives its own reasons.
    public init(
        expected: String, reading: @escaping @Sendable (SettingInput, SettingContext) throws(SettingProblem) -> Value,
        write: @escaping @Sendable (Value) -> String
    ) {
        self.expected = expected
        reader = reading
        writer = write
    }

    /// The same kind with one more check on the value read (`problem` returns the reason, or `nil` when it is fine).
    public func checked(_ problem: @escaping @Sendable (Value) -> String?) -> SettingKind<Value> {
        let read = reader
        return SettingKind(
            expected: expected,
            reading: { (input, context) throws(SettingProblem) -> Value in
                let value = try read(input, context)
                if let reason = problem(value) { throw SettingProblem(reason) }
                return value
            }, write: writer)
    }

    /// The same kind, or JSON `null` for none.
    public var orNull: SettingKind<Value?> {
        let read = reader, write = writer
        return SettingKind<Value?>(
            expected: expected + ", or null for none",
            reading: { (input, context) throws(SettingProblem) -> Value? in
                if input == .null { return nil }
                do { return try read(input, context) } catch { throw SettingProblem("must be " + expected + ", or null for none") }
            }, write: { $0.map(write) ?? "null" })
    }
}

extension SettingKind where Value == Int {
    /// A whole number from `min` to `max`.
    public static func wholeNumber(min: Int, max: Int? = nil) -> SettingKind<Int> {
        SettingKind(
            expected: "a whole number ≥ \(min)" + (max.map { " and ≤ \($0)" } ?? ""),
            read: { input, _ in input.wholeNumber.flatMap { $0 >= min && $0 <= (max ?? .max) ? $0 : nil } },
            write: { String($0) })
    }
}

extension SettingKind where Value == Double {
    /// A number > 0 (and ≤ `max`).
    public static func positive(max: Double? = nil, unit: String = "") -> SettingKind<Double> {
        SettingKind(
            expected: "a number > 0" + (max.map { " and ≤ \(JSONNumber.text($0))" } ?? "") + unit,
            read: { input, _ in
                guard case let .number(n) = input, n > 0, n <= (max ?? .infinity) else { return nil }
                return n
            },
            write: JSONNumber.text)
    }
}

extension SettingKind where Value == Bool {
    public static let bool = SettingKind<Bool>(
        expected: "true or false",
        read: { input, _ in
            guard case let .bool(b) = input else { return nil }
            return b
        }, write: { $0 ? "true" : "false" })
}

extension SettingKind where Value == String {
    /// Any text.
    public static let text = SettingKind<String>(expected: "text", read: { input, _ in input.text }, write: JSONText.string)

    /// A short text a message may carry (``TextPolicy/isConfigurable(_:)``).
    public static let messageText = SettingKind<String>(
        expected: "a text of 1–60 characters with no link, no 【】 and no control character",
        read: { input, _ in input.text.flatMap { TextPolicy.isConfigurable($0) ? $0 : nil } }, write: JSONText.string)

    /// A file path, relative to the configuration file's folder.
    public static let path = SettingKind<String>(
        expected: "a path", read: { input, context in input.text.map(context.resolve) },
        write: JSONText.string)
}

extension SettingKind where Value == [Int] {
    /// Days before a date at which a staged notice is due: a non-empty list, kept largest first.
    public static let stages = SettingKind<[Int]>(
        expected: "a non-empty list of whole numbers of days ≥ 0",
        read: { input, _ in
            guard case let .list(items) = input, !items.isEmpty else { return nil }
            let days = items.compactMap(\.wholeNumber)
            guard days.count == items.count, days.allSatisfy({ $0 >= 0 && $0 <= 3660 }) else { return nil }
            return Array(Set(days)).sorted(by: >)
        }, write: { (days: [Int]) -> String in "[" + days.map { String($0) }.joined(separator: ", ") + "]" })
}

extension SettingKind where Value == Set<String> {
    /// A list of texts, kept as a set.
    public static let textSet = SettingKind<Set<String>>(
        expected: "a list of texts",
        read: { input, _ in
            guard case let .list(items) = input else { return nil }
            let texts = items.compactMap(\.text)
            return texts.count == items.count ? Set(texts) : nil
        }, write: { "[" + $0.sorted().map(JSONText.string).joined(separator: ", ") + "]" })
}

extension SettingKind where Value == [String: String] {
    /// An object of texts a message may carry (``TextPolicy/isConfigurable(_:)``), by name.
    public static let messageTexts = SettingKind<[String: String]>(
        expected: "an object of texts of 1–60 characters with no link, no 【】 and no control character",
        read: { input, _ in
            guard case let .object(entries) = input else { return nil }
            var out: [String: String] = [:]
            for (name, value) in entries {
                guard !name.isEmpty, let s = value.text, TextPolicy.isConfigurable(s) else { return nil }
                out[name] = s
            }
            return out
        },
        write: {
            "{" + $0.sorted { $0.key < $1.key }.map { JSONText.string($0.key) + ": " + JSONText.string($0.value) }.joined(separator: ", ") + "}"
        })
}

/// Numbers as JSON writes them: whole numbers without a fraction.
public enum JSONNumber {
    public static func text(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
