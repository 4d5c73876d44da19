extension Template {
    /// Renders the template with `scope` as the outermost level.
    public func render(_ scope: TemplateScope) throws(TemplateError) -> String {
        var out = ""
        out.reserveCapacity(512)
        var scopes = [scope]
        scopes.reserveCapacity(4)
        try render(nodes, scopes: &scopes, into: &out)
        return out
    }

    private func value(_ name: String, in scopes: [TemplateScope], line: Int, column: Int) throws(TemplateError) -> TemplateValue {
        for scope in scopes.reversed() {
            if let v = scope[name] { return v }
        }
        throw TemplateError(file: file, line: line, column: column, reason: .missingValue(name))
    }

    private func render(_ nodes: [Node], scopes: inout [TemplateScope], into out: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case let .text(t):
                out += t
            case let .variable(name, line, column):
                if case let .text(t) = try value(name, in: scopes, line: line, column: column) { out += t }
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
