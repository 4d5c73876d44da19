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
        try render(nodes, scopes: &scopes, into: &out)
    }

    private func value(_ name: String, in scopes: [TemplateScope], line: Int, column: Int) throws(TemplateError) -> TemplateValue {
        for scope in scopes.reversed() {
            if let v = scope[name] { return v }
        }
        throw TemplateError(file: file, line: line, column: column, reason: .missingValue(name))
    }

    private func render(_ nodes: [Node], scopes: inout [TemplateScope], into out: inout [UInt8]) throws(TemplateError) {
        for node in nodes {
            switch node {
            case let .text(t):
                out.append(contentsOf: t.utf8)
            case let .variable(name, line, column):
                if case let .text(t) = try value(name, in: scopes, line: line, column: column) { out.append(contentsOf: t.utf8) }
            case let .section(name, inverted, children, line, column):
                switch try value(name, in: scopes, line: line, column: column) {
                case let .flag(on):
                    if on != inverted { try render(children, scopes: &scopes, into: &out) }
                case let .list(items):
                    if inverted {
                        if items.isEmpty { try render(children, scopes: &scopes, into: &out) }
                    } else {
                        for item in items {
                            scopes.append(item)
                            defer { scopes.removeLast() }
                            try render(children, scopes: &scopes, into: &out)
                        }
                    }
                case .text:
                    continue
                }
            }
        }
    }
}

extension Template {
    /// Names this template shows whose value in `scope` (or in one of its list elements) is empty text.
    public func emptyFields(in scope: TemplateScope) -> [String] {
        var out: [String] = []
        let used = Set(usedNames)
        func visit(_ scope: TemplateScope) {
            for (name, value) in scope {
                switch value {
                case let .text(t) where t.isEmpty && used.contains(name) && !out.contains(name): out.append(name)
                case let .list(items): items.forEach(visit)
                default: continue
                }
            }
        }
        visit(scope)
        return out.sorted()
    }
}
