import Foundation
import Testing

/// End to end: the preview page as a person sees it, in a real headless Chromium.
@Suite(.serialized, .enabled(if: ExternalPart.chromium.runs, "needs Chromium: scripts/test installs it")) struct PreviewPageTests {
    static func chromium() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// The DOM after Chromium parsed and laid out the page.
    func renderedDOM(_ file: String) throws -> String {
        let browser = try #require(Self.chromium(), "Chromium is not installed: scripts/test installs it")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=" + NSTemporaryDirectory() + "smsbatch-chromium-" + UUID().uuidString,
            "--dump-dom", "file://" + file,
        ]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func fixtureDayPageShowsCountsMaskedAndSelfContained() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(["preview", "--data", Binary.fixture("day-2026-11-30"), "--as-of", "2026-11-30", "--html", "p.html"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("41 messages"))
        #expect(!FileManager.default.fileExists(atPath: w.file("smsbatch-ledger.sqlite")))
        let html = w.read("p.html")
        for forbidden in ["<script", "<link", "src=\"http", "href=", "@import", "url("] {
            #expect(!html.contains(forbidden), "page must be self-contained: found \(forbidden)")
        }
        let dom = try renderedDOM(w.file("p.html"))
        #expect(dom.contains("data-rule=\"trial-expiry\">10<"))
        #expect(dom.contains("data-rule=\"points-clearing\">11<"))
        #expect(dom.contains("data-rule=\"month-end-summary\">20<"))
        #expect(dom.contains("id=\"total-messages\">41<"))
        #expect(dom.range(of: #"1[3-9]\d\*\*\*\*\d{4}"#, options: .regularExpression) != nil, "numbers shown masked")
        #expect(dom.contains("data-stage-subscribers=\"7\">3<") && dom.contains("data-stage-points=\"7\">2800<"), "points at stake per stage")
        #expect(!dom.contains("empty: privilege"), "a name in a section not shown is not reported empty")
        #expect(dom.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil, "no whole number on the page")
    }

    @Test func hostileServiceNamesShowAsText() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(["preview", "--data", Binary.fixture("hostile"), "--as-of", "2026-11-30", "--html", "p.html"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = w.read("p.html")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"))
        let dom = try renderedDOM(w.file("p.html"))
        #expect(!dom.contains("<script"), "no script element was created from data")
        #expect(!dom.contains("<img"))
        #expect(dom.contains("&lt;script&gt;alert(\"pwned\")&lt;/script&gt;"))
        #expect(dom.contains("data-rule=\"trial-expiry\">2<"))
        #expect(dom.contains("reads as a link"), "a service name that reads as a link is flagged")
        #expect(dom.range(of: #"1[3-9]\d{9}"#, options: .regularExpression) == nil)
    }
}

@Suite struct LintTests {
    func lint(_ files: [String: String]) throws -> (Binary.Result, Workspace) {
        let w = try Workspace()
        for (name, text) in files { try w.write("templates/" + name, text) }
        return (try w.run(["lint"]), w)
    }

    @Test func projectTemplatesPass() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(["lint"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.contains("lint: 0 errors"))
        #expect(r.stdout.contains("longest:"))
        let strict = try w.run(["lint", "--strict"])
        #expect(strict.status == 0, "the shipped templates fit their budgets: \(strict.stdout)")
    }

    @Test(arguments: [
        ("points-clearing.gotone.txt", "您有{{total_pionts}}积分", "1:3: unknown variable 'total_pionts'"),
        ("trial-expiry.mzone.txt", "详见 https://x.cn {{count}}", "a link"),
        ("month-end-summary.txt", "【中国移动】{{count}}", "signature brackets"),
        ("trial-expiry.unicom.txt", "{{count}}", "'unicom' is not a brand"),
        ("points-clearing.txt", "{{#items}}{{points}}", "never closed"),
    ])
    func brokenTemplatesFail(_ name: String, _ text: String, _ expected: String) throws {
        let (r, w) = try lint([name: text])
        defer { w.remove() }
        #expect(r.status == 1)
        #expect(r.stdout.contains(expected), "\(r.stdout)")
    }

    /// A list inside a list inside a list… multiplies the worst case by five at each level: sixteen levels are an
    /// error found at once (enumerating them would take 5^16 renderings).
    @Test func nestedListsAreLintedWithoutEnumeratingThem() throws {
        let nested = String(repeating: "{{#services}}", count: 16) + "{{name}}" + String(repeating: "{{/services}}", count: 16)
        let started = ContinuousClock.now
        let (r, w) = try lint(["trial-expiry.txt": nested])
        defer { w.remove() }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(r.status == 1)
        #expect(r.stdout.contains("trial-expiry.txt: error: lists inside lists"), "\(r.stdout)")
        #expect(!r.stdout.contains("trial-expiry.txt: note: longest"))
    }

    /// Lists nested a little are still rendered at worst case, every element of every level.
    @Test func listsNestedALittleAreStillMeasured() throws {
        let nested = "{{#services}}{{#services}}{{#services}}{{name}}{{/services}}{{/services}}{{/services}}"
        let (r, w) = try lint(["trial-expiry.txt": nested])
        defer { w.remove() }
        #expect(r.status == 0, "over budget is a warning")
        #expect(r.stdout.contains("trial-expiry.txt: warning: trial, three services"), "27 names are measured: \(r.stdout)")
        #expect(!r.stdout.contains("lists inside lists"))
    }

    @Test(arguments: [
        ("trial-expiry.txt", String(repeating: "{{#has_renew}}\n", count: 17) + "x", "17:1: section 'has_renew' is opened inside 16"),
        ("points-clearing.txt", "## 待写\n{{! 备注 }}\n", "the template has no text"),
    ])
    func deepAndEmptyTemplatesAreErrors(_ name: String, _ text: String, _ expected: String) throws {
        let (r, w) = try lint([name: text])
        defer { w.remove() }
        #expect(r.status == 1)
        #expect(r.stdout.contains("\(name): error: \(expected)"), "\(r.stdout)")
    }

    @Test func overBudgetWarnsAndStrictFails() throws {
        let long = String(repeating: "很长的文字", count: 30) + "{{count}}"
        let (r, w) = try lint(["points-clearing.mzone.txt": long])
        defer { w.remove() }
        #expect(r.status == 0)
        #expect(r.stdout.contains("points-clearing.mzone.txt: warning: points, one clearing date"), "\(r.stdout)")
        let strict = try w.run(["lint", "--strict"])
        #expect(strict.status == 1)
    }
}

@Suite struct BrokenTemplateFixtureTests {
    @Test func lintReportsEveryBrokenTemplateInFixtures() throws {
        let w = try Workspace()
        defer { w.remove() }
        let r = try w.run(["lint", "--templates", Binary.fixture("broken-templates")])
        #expect(r.status == 1)
        for expected in [
            "trial-expiry.txt: error: 2:", "unknown variable 'nmae'",
            "points-clearing.txt: error: the template contains something that reads as a link",
            "month-end-summary.txt: error: the template contains signature brackets",
            "trial-expiry.mzone.txt: error: 1:", "never closed",
            "points-clearing.unicom.txt: error: 'unicom' is not a brand",
            "voucher-expiry.txt: error: missing: every rule needs a default template",
            "lint: 6 errors",
        ] {
            #expect(r.stdout.contains(expected), "missing \(expected) in \(r.stdout)")
        }
        // A run with these templates stops before planning anything.
        let run = try w.run([
            "run", "--data", Binary.fixture("day-2026-11-30"), "--as-of", "2026-11-30", "--dry-run",
            "--templates", Binary.fixture("broken-templates"),
        ])
        #expect(run.status == 78)
    }
}
