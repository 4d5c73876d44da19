extension Template {
    /// The most steps (pieces of text, values and sections) rendering walks when every list of `schema` has
    /// `listLength` elements and every condition goes the longer way, counted without rendering: a section inside a
    /// list counts once per element, so lists inside lists multiply. Saturates at `Int.max`.
    ///
    /// Linear in the size of the template, where rendering it is exponential in how deep its lists nest: lint checks
    /// this before it renders a worst case.
    public func expansion(schema: TemplateSchema, listLength: Int) -> Int {
        Template.expansion(nodes, scopes: [schema], listLength: listLength)
    }

    static func expansion(_ nodes: [Node], scopes: [TemplateSchema], listLength: Int) -> Int {
        var total = 0
        for node in nodes {
            var steps = 1
            if case let .section(name, inverted, children, _, _) = node {
                switch lookup(name, in: scopes) {
                case let .list(element)? where !inverted:
                    let (each, overflow) = expansion(children, scopes: scopes + [element], listLength: listLength)
                        .multipliedReportingOverflow(by: listLength)
                    steps = overflow ? .max : each.addingSaturating(1)
                default:
                    steps = expansion(children, scopes: scopes, listLength: listLength).addingSaturating(1)
                }
            }
            total = total.addingSaturating(steps)
        }
        return total
    }
}

fileprivate extension Int {
    /// `self + other`, or `Int.max` when that overflows (both are ≥ 0 here).
    func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
