import Testing

@testable import SMSCore

/// SPEC §5: what in a text, from the data, holds a message back.
@Suite struct HoldReasonTests {
    @Test(arguments: [
        "详情见http://x", "详情见HTTPS://X", "登录www.example", "领奖见abc.cn", "访问 Shop-1.Com 领取", "见a.bc",
        "WWW.EXAMPLE", "10086.cn",
    ])
    func linksAreHeld(_ body: String) {
        #expect(HoldReason.check(body: body, units: 60) == .link)
    }

    @Test(arguments: [
        "月费合计11.11元", "5.5元", "12.25元/月", "截至11月30日", "中国移动App", "发送0000至10086", "积分1.5万", "v2.0版", ".cn开头",
        "结尾a.", "a.b",
    ])
    func amountsAndOrdinaryTextAreNotLinks(_ body: String) {
        #expect(HoldReason.check(body: body, units: 60) == nil)
    }

    @Test(arguments: ["【中国联通】积分兑换", "积分兑换】", "【"])
    func aSignatureOfItsOwnIsHeld(_ body: String) {
        #expect(HoldReason.check(body: body, units: 60) == .signature)
    }

    @Test func moreThanFiveHundredUnitsIsHeldAndFiveHundredIsNot() {
        #expect(HoldReason.check(body: "好", units: 500) == nil)
        #expect(HoldReason.check(body: "好", units: 501) == .tooLong)
    }

    /// The word-at-a-time scan finds exactly what a plain reading of SPEC §5 finds, wherever in the text it is.
    @Test func theWordScanAgreesWithAPlainReadingAtEveryOffset() {
        let pieces = ["好", "，", "。", "a", "Z", "9", "-", ".", "h", "H", "t", "p", "w", "W", "c", "n", "【", "】", "元", " "]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(HoldReason.check(body: text, units: 60) == plainReading(text), "\(text)")
        }
    }

    /// SPEC §5 as written, on characters.
    func plainReading(_ text: String) -> HoldReason? {
        let c = Array(text.unicodeScalars)
        func letter(_ s: Unicode.Scalar) -> Bool { s.isASCII && s.properties.isAlphabetic }
        func domainByte(_ s: Unicode.Scalar) -> Bool { s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-") }
        for i in c.indices {
            if c[i] == "【" || c[i] == "】" { return .signature }
            let rest = String(String.UnicodeScalarView(c[i...])).lowercased()
            if rest.hasPrefix("http") || rest.hasPrefix("www.") { return .link }
            if c[i] == ".", i > 0, domainByte(c[i - 1]), i + 2 < c.count, letter(c[i + 1]), letter(c[i + 2]) { return .link }
        }
        return nil
    }
}

/// The plan digest (issue 16) is SHA-256 over `id \t text \n` per message, fed in pieces.
@Suite struct PlanDigestTests {
    @Test(arguments: [0, 1, 3, 200])
    func equalsTheDigestOfTheWholeText(_ messages: Int) {
        var digest = PlanDigest()
        var whole: [UInt8] = []
        for i in 0..<messages {
            let id = String(format: "%032x", i), text = "【中国移动】第\(i)条" + String(repeating: "长", count: i % 97)
            digest.add(id: id, text: text)
            whole += Array((id + "\t" + text + "\n").utf8)
        }
        #expect(digest.count == messages)
        #expect(digest.hex() == SHA256.hex(whole))
    }

    @Test func knownVector() {
        var digest = PlanDigest()
        digest.add(id: "a", text: "b")
        #expect(digest.hex() == "5dd1197866f479824d9b483e1b7ae9ad3e518f3b4fd447c6b92d127dda6178c5")  // printf 'a\tb\n' | sha256sum
    }
}
