import Testing

@testable import SMSCore

@Suite struct TemplateTests {
    let schema = TemplateSchema([
        "name": .text, "vip": .flag,
        "items": .list(TemplateSchema(["label": .text, "last": .flag])),
    ])

    @Test func rendersVariablesSectionsAndLists() throws {
        let t = try Template(
            source: """
                ## a comment line
                {{#vip}}尊敬的{{/vip}}{{name}}：
                  {{#items}}{{label}}{{^last}}、{{/last}}{{/items}}{{^items}}无{{/items}}
                """, file: "t.txt", schema: schema)
        let scope: TemplateScope = [
            "name": .text("客户"), "vip": .flag(true),
            "items": .list([["label": .text("甲"), "last": .flag(false)], ["label": .text("乙"), "last": .flag(true)]]),
        ]
        #expect(try t.render(scope) == "尊敬的客户：甲、乙")
        #expect(try t.render(["name": .text("客户"), "vip": .flag(false), "items": .list([])]) == "客户：无")
    }

    @Test func unknownVariableFailsAtLoadWithLineAndColumn() {
        #expect {
            try Template(source: "第一行\n  您好{{nmae}}", file: "x.txt", schema: schema)
        } throws: { error in
            guard let e = error as? TemplateError, case let .unknownVariable(name, known) = e.reason else { return false }
            return name == "nmae" && e.line == 2 && e.column == 5 && known.contains("name")
                && e.description.hasPrefix("x.txt:2:5: unknown variable 'nmae'")
        }
    }

    @Test func listElementNamesOnlyInsideTheList() {
        #expect(throws: TemplateError.self) { try Template(source: "{{label}}", file: "x", schema: schema) }
    }

    @Test(arguments: [
        "{{#items}}x", "{{/items}}", "{{#vip}}x{{/items}}", "{{name", "{{}}", "{{items}}", "{{#name}}x{{/name}}",
        "【中国移动】{{name}}", "详见www.10086.cn",
    ])
    func malformedTemplatesFail(_ source: String) {
        #expect(throws: TemplateError.self) { try Template(source: source, file: "x", schema: schema) }
    }

    @Test func setNeedsDefaultsAndKnownBrands() throws {
        let ok = "{{brand_name}}"
        let files = RuleKind.allCases.map { ($0.rawValue + ".txt", ok) }
        let set = try TemplateSet(files: files + [("trial-expiry.gotone.txt", "尊敬的{{brand_name}}客户")])
        #expect(set.variant(for: .trialExpiry, brand: .gotone)?.name == "trial-expiry.gotone")
        #expect(set.variant(for: .trialExpiry, brand: .mzone)?.name == "trial-expiry")
        #expect(throws: TemplateError.self) { try TemplateSet(files: Array(files.dropFirst())) }
        #expect(throws: TemplateError.self) { try TemplateSet(files: files + [("trial-expiry.unicom.txt", ok)]) }
    }
}
