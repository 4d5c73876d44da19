extension Template {
    /// Renders the template with `scope` as the outermost level.
    public func render(_ scope: TemplateScope) throws(TemplateError) -> String {
        var out: [UInt8] = []
        try render(scope, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Renders the template with `scope` as the outermost level, appending its UTF-8 bytes to `out` (no `String`
    /// is built piece by piece: appending bytes is several times cheaper).
    public func render(_ scope: TemplateScope, into out: inout [UInt8]) throws(TemplateError) {
        out.reserveCapacity(out.count + 384)
        var scopes = [scope]
        scopes.reserveCapacity(4)
        try program.withUnsafeBufferPointer { (steps) throws(TemplateError) in
            try literals.withUnsafeBufferPointer { (literals) throws(TemplateError) in
                try run(steps, literals, 0..<steps.count, scopes: &scopes, into: &out)
            }
        }
    }

    /// One step of a flattened template: literal bytes, a variable, or a section whose children are the steps up to
    /// `end`. Rendering walks an array of these instead of a tree of boxed enum cases.
    struct Step: Sendable {
        enum Kind: Sendable { case text, variable, section }
        var kind: Kind
        /// Where the literal's UTF-8 bytes are in ``Template/literals`` (text).
        var bytes: Range<Int> = 0..<0
        /// The name looked up (variable, section).
        var name = ""
        var inverted = false
        /// The index after the section's last child (section).
        var end = 0
        var line = 0
        var column = 0
    }

    static func flatten(_ nodes: [Node], into steps: inout [Step], literals: inout [UInt8]) {
        for node in nodes {
            switch node {
            case let .text(t):
                let start = literals.count
                literals += t.utf8
                steps.append(Step(kind: .text, bytes: start..<literals.count))
            case let .variable(name, line, column):
                steps.append(Step(kind: .variable, name: name, line: line, column: column))
            case let .section(name, inverted, children, line, column):
                let at = steps.count
                steps.append(Step(kind: .section, name: name, inverted: inverted, line: line, column: column))
                flatten(children, into: &steps, literals: &literals)
                steps[at].end = steps.count
            }
        }
    }

    private func value(_ name: String, in scopes: [TemplateScope], line: Int, column: Int) throws(TemplateError) -> TemplateValue {
        for scope in scopes.reversed() {
            if let v = scope[name] { return v }
        }
        throw TemplateError(file: file, line: line, column: column, reason: .missingValue(name))
    }

    private func run(
        _ steps: UnsafeBufferPointer<Step>, _ literals: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
        scopes: inout [TemplateScope], into out: inout [UInt8]
    ) throws(TemplateError) {
        var i = range.lowerBound
        while i < range.upperBound {
            switch steps[i].kind {
            case .text:
                out.append(contentsOf: UnsafeBufferPointer(rebasing: literals[steps[i].bytes]))
                i += 1
            case .variable:
                if case let .text(t) = try value(steps[i].name, in: scopes, line: steps[i].line, column: steps[i].column) {
                    out.append(contentsOf: t.utf8)
                }
                i += 1
            case .section:
                let children = (i + 1)..<steps[i].end
                let inverted = steps[i].inverted
                switch try value(steps[i].name, in: scopes, line: steps[i].line, column: steps[i].column) {
                case let .flag(on):
                    if on != inverted { try run(steps, literals, children, scopes: &scopes, into: &out) }
                case let .list(items):
                    if inverted {
                        if items.isEmpty { try run(steps, literals, children, scopes: &scopes, into: &out) }
                    } else {
                        for item in items {
                            scopes.append(item)
                            defer { scopes.removeLast() }
                            try run(steps, literals, children, scopes: &scopes, into: &out)
                        }
                    }
                case .text:
                    break
                }
                i = steps[i].end
            }
        }
    }
}

extension Template {
    /// Names this template shows whose value in `scope` (or in one of its list elements) is empty text.
    public func emptyFields(in scope: TemplateScope) -> [String] {
        // Walks the template as rendering does: a name inside a section that is not shown is not reported.
        var out: [String] = []
        var scopes = [scope]
        func lookup(_ name: String) -> TemplateValue? {
            for s in scopes.reversed() { if let v = s[name] { return v } }
            return nil
        }
        func visit(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .text:
                    continue
                case let .variable(name, _, _):
                    if case let .text(t)? = lookup(name), t.isEmpty, !out.contains(name) { out.append(name) }
                case let .section(name, inverted, children, _, _):
                    switch lookup(name) {
                    case let .flag(on)?:
                        if on != inverted { visit(children) }
                    case let .list(items)?:
                        if inverted {
                            if items.isEmpty { visit(children) }
                        } else {
                            for item in items {
                                scopes.append(item)
                                visit(children)
                                scopes.removeLast()
                            }
                        }
                    default:
                        continue
                    }
                }
            }
        }
        visit(nodes)
        return out.sorted()
    }
}
