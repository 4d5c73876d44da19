import Testing

@testable import SMSBatch

@Suite struct HTMLEscapeTests {
    @Test(arguments: [
        ("<script>alert(\"x\")</script>", "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
        ("O'Brien & Co", "O&#39;Brien &amp; Co"),
        ("彩铃", "彩铃"),
    ])
    func escapes(_ raw: String, _ escaped: String) {
        #expect(HTML.escape(raw) == escaped)
    }
}
