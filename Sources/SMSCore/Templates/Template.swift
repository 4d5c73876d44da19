/// A parsed, validated message template.
///
/// The language is a strict subset of Mustache:
/// - `{{name}}` shows a value, `{{#name}}…{{/name}}` repeats over a list or shows when a condition holds,
///   `{{^name}}…{{/name}}` shows when a condition fails or a list is empty, `{{! note }}` is a comment;
/// - line breaks are layout only: each line is trimmed and the lines are joined without a separator;
/// - a line starting with `##` is a comment.
///
/// Every name is checked against the rule's ``TemplateSchema`` when the template is loaded, so an unknown
/// name is an error at load time and never an empty gap in a sent text. Sections nest at most ``maxDepth`` deep, and
/// a template must hold some text or a value (one that would send the signature alone is an error too).
///
/// A class: it never changes once parsed, and a million messages a night each take it in hand (a struct's copy
/// would retain every array in it).
public final class Template: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable(String, line: Int, column: Int)
        case section(String, inverted: Bool, children: [Node], line: Int, column: Int)
    }

    /// Where the template came from, for messages.
    public let file: String
    let nodes: [Node]
    /// The names the template uses, in order of first use.
    public let usedNames: [String]
    /// `nodes` flattened for rendering (see ``Template/Step``).
    let program: [Step]
    /// The literal text of every text step, one after the other (a step names its range).
    let literals: [UInt8]

    /// How deep sections may nest. Every pass over a template (parsing, validating, rendering, lint) recurses once a
    /// level, so a template of 100,000 opened sections would overflow the stack: it is an error at the 17th.
    public static let maxDepth = 16

    /// Parses `source` and checks every name against `schema`.
    public init(source: String, file: String, schema: TemplateSchema) throws(TemplateError) {
        self.file = file
        let tokens = try Template.tokenize(source, file: file)
        var index = 0
        let nodes = try Template.build(tokens, index: &index, file: file, closing: nil, depth: 0)
        var used: [String] = []
        try Template.validate(nodes, scopes: [schema], file: file, used: &used)
        guard Template.showsSomething(nodes) else { throw TemplateError(file: file, line: 0, column: 0, reason: .noText) }
        self.nodes = nodes
        self.usedNames = used
        var program: [Step] = []
        var literals: [UInt8] = []
        Template.flatten(nodes, into: &program, literals: &literals)
        self.program = program
        self.literals = literals
        try Template.checkLiteralText(nodes, file: file)
    }

    /// The literal text of the template (all text outside tags), for checks such as lint.
    public var literalText: String {
        func collect(_ nodes: [Node]) -> String {
            nodes.map {
                switch $0 {
                case let .text(t): t
                case .variable: ""
                case let .section(_, _, children, _, _): collect(children)
                }
            }.joined()
        }
        return collect(nodes)
    }
}

extension Template {
    enum Token {
        case text(String)
        case tag(sigil: Character?, name: String, line: Int, column: Int)
    }

    /// The source's text and tags. Stops at the first section opened deeper than ``maxDepth`` (as ``build`` would, but
    /// without reading the rest of a source of 100,000 sections first).
    static func tokenize(_ source: String, file: String) throws(TemplateError) -> [Token] {
        var tokens: [Token] = []
        var lineNumber = 0
        // The sections open so far, while they close in order (after a wrong close, ``build`` reports that first).
        var sections: [String] = []
        var inOrder = true
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let leading = rawLine.prefix(while: { $0 == " " || $0 == "\t" }).count
            let line = rawLine.trimmingSpaces()
            if line.hasPrefix("##") || line.isEmpty { continue }
            var rest = Substring(line)
            var offset = leading
            while !rest.isEmpty {
                guard let open = rest.firstRange(of: "{{") else {
                    tokens.append(.text(String(rest)))
                    break
                }
                let before = rest[rest.startIndex..<open.lowerBound]
                if !before.isEmpty { tokens.append(.text(String(before))) }
                let column = offset + before.count + 1
                guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                    throw TemplateError(file: file, line: lineNumber, column: column, reason: .unclosedTag)
                }
                var inside = rest[open.upperBound..<close.lowerBound].trimmingSpaces()[...]
                var sigil: Character?
                if let first = inside.first, "#^/!".contains(first) {
                    sigil = first
                    inside = inside.dropFirst().trimmingSpaces()[...]
                }
                if sigil != "!" {
                    guard !inside.isEmpty else {
                        throw TemplateError(file: file, line: lineNumber, column: column, reason: .emptyTag)
                    }
                    let name = String(inside)
                    if inOrder && (sigil == "#" || sigil == "^") {
                        guard sections.count < maxDepth else {
                            throw TemplateError(file: file, line: lineNumber, column: column, reason: .tooDeep(name, limit: maxDepth))
                        }
                        sections.append(name)
                    } else if inOrder && sigil == "/" {
                        if sections.last == name { sections.removeLast() } else { inOrder = false }
                    }
                    tokens.append(.tag(sigil: sigil, name: name, line: lineNumber, column: column))
                }
                offset += rest.distance(from: rest.startIndex, to: close.upperBound)
                rest = rest[close.upperBound...]
            }
        }
        return tokens
    }

    /// The nodes up to the tag that closes `closing` (or the end), `depth` sections deep.
    static func build(
        _ tokens: [Token], index: inout Int, file: String,
        closing: (name: String, line: Int, column: Int)?, depth: Int
    ) throws(TemplateError) -> [Node] {
        var nodes: [Node] = []
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token {
            case let .text(t):
                if case let .text(previous)? = nodes.last {
                    nodes[nodes.count - 1] = .text(previous + t)
                } else {
                    nodes.append(.text(t))
                }
            case let .tag(sigil, name, line, column):
                switch sigil {
                case "#", "^":
                    guard depth < maxDepth else {  // found by ``tokenize`` already; kept as this recursion's own guard
                        throw TemplateError(file: file, line: line, column: column, reason: .tooDeep(name, limit: maxDepth))
                    }
                    let children = try build(tokens, index: &index, file: file, closing: (name, line, column), depth: depth + 1)
                    nodes.append(.section(name, inverted: sigil == "^", children: children, line: line, column: column))
                case "/":
                    guard let closing, closing.name == name else {
                        throw TemplateError(
                            file: file, line: line, column: column,
                            reason: .unexpectedClose(name, open: closing?.name))
                    }
                    return nodes
                default:
                    nodes.append(.variable(name, line: line, column: column))
                }
            }
        }
        if let closing {
            throw TemplateError(file: file, line: closing.line, column: closing.column, reason: .unclosedSection(closing.name))
        }
        return nodes
    }

    static func lookup(_ name: String, in scopes: [TemplateSchema]) -> TemplateSchema.Kind? {
        for scope in scopes.reversed() {
            if let kind = scope.fields[name] { return kind }
        }
        return nil
    }

    static func validate(
        _ nodes: [Node], scopes: [TemplateSchema], file: String,
        used: inout [String]
    ) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text:
                continue
            case let .variable(name, line, column):
                guard let kind = lookup(name, in: scopes) else {
                    throw unknown(name, scopes: scopes, file: file, line: line, column: column)
                }
                guard case .text = kind else {
                    throw TemplateError(
                        file: file, line: line, column: column,
                        reason: .wrongKind(name, expected: "is a condition or a list; use {{#\(name)}}…{{/\(name)}}"))
                }
                if !used.contains(name) { used.append(name) }
            case let .section(name, inverted, children, line, column):
                guard let kind = lookup(name, in: scopes) else {
                    throw unknown(name, scopes: scopes, file: file, line: line, column: column)
                }
                if !used.contains(name) { used.append(name) }
                switch kind {
                case .text:
                    throw TemplateError(
                        file: file, line: line, column: column,
                        reason: .wrongKind(name, expected: "is text; show it with {{\(name)}}"))
                case .flag:
                    try validate(children, scopes: scopes, file: file, used: &used)
                case let .list(element):
                    try validate(children, scopes: inverted ? scopes : scopes + [element], file: file, used: &used)
                }
            }
        }
    }

    static func unknown(_ name: String, scopes: [TemplateSchema], file: String, line: Int, column: Int) -> TemplateError {
        let known = Set(scopes.flatMap { $0.fields.keys }).sorted()
        return TemplateError(file: file, line: line, column: column, reason: .unknownVariable(name, known: known))
    }

    /// Whether some node shows text other than blanks, or a value: a template without one would send the
    /// signature alone.
    static func showsSomething(_ nodes: [Node]) -> Bool {
        nodes.contains {
            switch $0 {
            case let .text(t): t.contains { !$0.isWhitespace }
            case .variable: true
            case let .section(_, _, children, _, _): showsSomething(children)
            }
        }
    }

    /// A body carries no signature brackets and no links (SPEC §4, DOMAIN).
    static func checkLiteralText(_ nodes: [Node], file: String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case let .text(t):
                if let problem = TextPolicy.problem(in: t) {
                    throw TemplateError(file: file, line: 0, column: 0, reason: .forbiddenText(problem))
                }
            case .variable:
                continue
            case let .section(_, _, children, _, _):
                try checkLiteralText(children, file: file)
            }
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
