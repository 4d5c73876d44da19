/// One configuration key, declared once: its name, what it means, how it is read and shown. The list of them drives
/// the configuration file's parsing, `smsbatch config` and the README's table; defaults are the root's own.
public struct Setting<Root>: Sendable {
    /// The key in the configuration file, e.g. `trial_stages`.
    public let key: String
    /// One sentence for the README's table.
    public let doc: String
    /// What a valid value looks like.
    public let expected: String
    let apply: @Sendable (SettingInput, SettingContext, inout Root) throws(SettingProblem) -> Void
    let show: @Sendable (Root) -> String

    /// A key whose value lives at `path`.
    public init<Value: Sendable>(_ key: String, _ kind: SettingKind<Value>, at path: WritableKeyPath<Root, Value> & Sendable, doc: String) {
        self.key = key
        self.doc = doc
        expected = kind.expected
        apply = { (input, context, root) throws(SettingProblem) in root[keyPath: path] = try kind.read(input, context) }
        show = { root in kind.write(root[keyPath: path]) }
    }

    /// A key read and shown by hand (for a value that is converted, e.g. yuan kept as fen).
    public init(
        _ key: String, expected: String, doc: String,
        apply: @escaping @Sendable (SettingInput, SettingContext, inout Root) throws(SettingProblem) -> Void,
        show: @escaping @Sendable (Root) -> String
    ) {
        self.key = key
        self.doc = doc
        self.expected = expected
        self.apply = apply
        self.show = show
    }

    /// Reads `input` into `root`.
    public func apply(_ input: SettingInput, context: SettingContext = SettingContext(), to root: inout Root) throws(SettingProblem) {
        try apply(input, context, &root)
    }

    /// The value in `root`, as JSON.
    public func value(in root: Root) -> String { show(root) }

    /// The same key for a value nested in `Outer` at `path`.
    public func nested<Outer>(at path: WritableKeyPath<Outer, Root> & Sendable) -> Setting<Outer> {
        let apply = self.apply, show = self.show
        return Setting<Outer>(
            key, expected: expected, doc: doc,
            apply: { (input, context, outer) throws(SettingProblem) in
                try apply(input, context, &outer[keyPath: path])
            }, show: { outer in show(outer[keyPath: path]) })
    }
}

/// A setting that belongs to one rule, kept in ``RuleConfiguration`` by its key: the rule's folder declares it, and
/// no other file names it.
public struct RuleSetting<Value: Sendable & Equatable>: Sendable, Hashable {
    public let key: String
    public let defaultValue: Value
    public let kind: SettingKind<Value>
    public let doc: String

    public init(_ key: String, _ kind: SettingKind<Value>, default defaultValue: Value, doc: String) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.doc = doc
    }

    /// The declaration the configuration reads it by.
    public var declaration: Setting<RuleConfiguration> {
        Setting(key, kind, at: \RuleConfiguration.[self], doc: doc)
    }

    public static func == (a: RuleSetting, b: RuleSetting) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
}
