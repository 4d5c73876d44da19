/// A value a template can show: text, a condition, or a list of scopes to repeat over.
public enum TemplateValue: Sendable, Hashable {
    case text(String)
    case flag(Bool)
    case list([TemplateScope])
}

/// Names visible at one level of a template, in the order they were set.
///
/// A scope holds a dozen names at most, so it is a small array scanned for the name: comparing short names (stored
/// inline by `String`) costs less than hashing them, and a million messages build and read tens of millions of names.
/// Reads like a dictionary: `["count": .text("3")]`, `scope["count"]`, `scope["count"] = …`.
public struct TemplateScope: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    public typealias Element = (name: String, value: TemplateValue)

    /// A struct rather than a tuple: the compiler destroys and copies it with specialised code instead of the
    /// runtime's generic tuple witnesses.
    fileprivate struct Entry: Sendable, Hashable {
        var name: String
        var value: TemplateValue
    }

    private var entries: [Entry] = []

    public init() {}

    /// An empty scope with room for `capacity` names (filled with ``appendNew(_:_:)``, which a hot path prefers to a
    /// literal: a literal's elements are first gathered in an array of their own).
    init(capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    /// A literal's names must differ (as a dictionary literal's keys must).
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        guard !elements.isEmpty else { return }  // `[:]`, as most digests of the first pass have: no allocation
        entries.reserveCapacity(elements.count + 4)
        for (name, value) in elements { entries.append(Entry(name: name, value: value)) }
        assert(Set(entries.map(\.name)).count == entries.count, "a template scope literal names something twice")
    }

    /// The value of `name`; setting `nil` removes it.
    public subscript(name: String) -> TemplateValue? {
        get {
            // Comparing lengths first (free for short strings) skips most of the slower full comparisons.
            let length = name.utf8.count
            for entry in entries where entry.name.utf8.count == length && entry.name == name { return entry.value }
            return nil
        }
        set {
            if let i = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append(Entry(name: name, value: newValue))
            }
        }
    }

    public var count: Int { entries.count }

    /// Adds a name the scope does not hold yet, without looking for it (the rules' own names and the common ones
    /// never overlap: their schemas are merged at start-up).
    mutating func appendNew(_ name: String, _ value: TemplateValue) {
        assert(self[name] == nil, "\(name) is already in the scope")
        entries.append(Entry(name: name, value: value))
    }

    public struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<[Entry]>
        public mutating func next() -> Element? { base.next().map { ($0.name, $0.value) } }
    }

    public func makeIterator() -> Iterator { Iterator(base: entries.makeIterator()) }

    /// Equal when they hold the same names with the same values, in any order.
    public static func == (a: TemplateScope, b: TemplateScope) -> Bool {
        a.count == b.count && a.entries.allSatisfy { b[$0.name] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
    }
}

/// What a template may name at each level: the contract between a rule and its templates.
public struct TemplateSchema: Sendable {
    public indirect enum Kind: Sendable {
        case text
        case flag
        case list(TemplateSchema)
    }

    public var fields: [String: Kind]

    public init(_ fields: [String: Kind]) { self.fields = fields }

    /// The names that may be used in the scope of a list element, after the element's own.
    public var sortedNames: [String] { fields.keys.sorted() }
}
