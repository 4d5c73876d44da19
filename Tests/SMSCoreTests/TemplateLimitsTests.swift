import Testing

@testable import SMSCore

/// Templates an operator can break the run with: sections nested without end, lists inside lists, and a template
/// with no text at all.
@Suite struct TemplateLimitsTests {
    let schema = TemplateSchema([
        "name": .text, "vip": .flag,
        "items": .list(TemplateSchema(["label": .text, "last": .flag])),
    ])

    /// 100,000 opened sections are one error at the first section too deep, with its place, found in well under a
    /// second (they overflowed the stack while parsing).
    @Test(arguments: ["{{#vip}}", "{{^vip}}", "{{#items}}", "{{# vip }}"])
    func deepNestingIsAnErrorNotACrash(_ open: String) {
        let source = String(repeating: open, count: 100_000) + "x"
        let started = ContinuousClock.now
        let column = Template.maxDepth * open.count + 1
        #expect {
            try Template(source: source, file: "deep.txt", schema: schema)
        } throws: { error in
            guard let e = error as? TemplateError, case let .tooDeep(name, limit) = e.reason else { return false }
            return ["vip", "items"].contains(name) && limit == Template.maxDepth && e.line == 1 && e.column == column
                && e.description.hasPrefix("deep.txt:1:\(column): section '\(name)' is opened inside 16 others")
        }
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func theLimitIsSixteenLevels() throws {
        let ok = String(repeating: "{{#vip}}", count: 16) + "x" + String(repeating: "{{/vip}}", count: 16)
        #expect(try Template(source: ok, file: "t", schema: schema).render(["vip": .flag(true)]) == "x")
        // One section per line, indented: the 17th is named by its own line and column.
        let lines = (0..<17).map { String(repeating: " ", count: $0 % 3) + "{{#vip}}" } + ["x"] + Array(repeating: "{{/vip}}", count: 17)
        #expect {
            try Template(source: lines.joined(separator: "\n"), file: "t.txt", schema: schema)
        } throws: { error in
            guard let e = error as? TemplateError, case .tooDeep = e.reason else { return false }
            return e.line == 17 && e.column == 16 % 3 + 1
        }
    }

    /// The first error in the file is the one reported: a wrong close before the 17th section is that close.
    @Test func aWrongCloseBeforeTheDepthLimitIsReportedFirst() throws {
        let source = "{{#vip}}{{/items}}" + String(repeating: "{{#vip}}", count: 100)
        #expect(throws: TemplateError(file: "t", line: 1, column: 9, reason: .unexpectedClose("items", open: "vip"))) {
            try Template(source: source, file: "t", schema: schema)
        }
        let closed = String(repeating: "{{#vip}}x{{/vip}}", count: 100)
        #expect(try Template(source: closed, file: "t", schema: schema).render(["vip": .flag(true)]) == String(repeating: "x", count: 100))
    }

    /// The tree builder keeps its own guard, whatever tokens it is handed.
    @Test func theBuilderRefusesTheSeventeenthLevelToo() {
        let tokens = (1...17).map { Template.Token.tag(sigil: "#", name: "vip", line: $0, column: 1) }
        #expect(throws: TemplateError(file: "t", line: 17, column: 1, reason: .tooDeep("vip", limit: 16))) {
            () throws -> Int in
            var index = 0
            return try Template.build(tokens, index: &index, file: "t", closing: nil, depth: 0).count
        }
    }

    /// A template that can show nothing but the signature is an error when it is loaded.
    @Test(arguments: [
        "", "  \n\n\t", "## 只有注释", "{{! 备注 }}", "## 注释\n  {{! a }} {{! b }}  \n## 又一行", "{{#vip}}{{/vip}}",
        "{{#items}} {{/items}}{{^vip}}\n{{/vip}}",
    ])
    func emptyTemplatesFailAtLoad(_ source: String) {
        #expect {
            try Template(source: source, file: "e.txt", schema: schema)
        } throws: { error in
            guard let e = error as? TemplateError else { return false }
            return e.reason == .noText && e.description == "e.txt: " + e.sentence && e.sentence.contains("signature alone")
        }
    }

    @Test(arguments: ["{{name}}", "x", "{{#vip}}x{{/vip}}", "## c\n{{#items}}{{label}}{{/items}}"])
    func aTemplateWithTextOrAValueLoads(_ source: String) throws {
        _ = try Template(source: source, file: "t", schema: schema)
    }

    @Test func anEmptyDefaultFailsTheSet() {
        let files = RuleKind.allCases.map { ($0.rawValue + ".txt", "{{brand_name}}") }
        #expect(throws: TemplateError(file: "points-clearing.txt", line: 0, column: 0, reason: .noText)) {
            try TemplateSet(files: files.map { $0.0 == "points-clearing.txt" ? ($0.0, "## 待写\n") : $0 })
        }
    }

    /// The worst-case expansion is counted, not enumerated: lists multiply, conditions and inverted lists add.
    @Test func expansionCountsListsWithoutRenderingThem() throws {
        let flat = try Template(source: "{{name}}{{#vip}}a{{/vip}}{{#items}}{{label}}{{^last}}、{{/last}}{{/items}}", file: "t", schema: schema)
        // name 1, vip 1 + 1, items 1 + 5 × (label 1 + last 1 + 1)
        #expect(flat.expansion(schema: schema, listLength: 5) == 1 + 2 + 1 + 5 * 3)
        let inverted = try Template(source: "{{^items}}无{{/items}}", file: "t", schema: schema)
        #expect(inverted.expansion(schema: schema, listLength: 5) == 2)
        let nested = String(repeating: "{{#items}}", count: 16) + "{{label}}" + String(repeating: "{{/items}}", count: 16)
        let deep = try Template(source: nested, file: "t", schema: schema)
        let started = ContinuousClock.now
        #expect(deep.expansion(schema: schema, listLength: 5) == (0..<16).reduce(1) { n, _ in n * 5 + 1 })
        #expect(deep.expansion(schema: schema, listLength: 1 << 40) == .max, "saturates")
        #expect(ContinuousClock.now - started < .seconds(1))
    }
}
