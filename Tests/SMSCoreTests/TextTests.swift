import Foundation
import Testing

@testable import SMSCore

@Suite struct TextTests {
    @Test(arguments: [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4), (500, 8)])
    func segments(_ units: Int, _ expected: Int) {
        #expect(TextMetrics.segments(units: units) == expected)
        #expect(TextMetrics.segments(units: TextMetrics.units(String(repeating: "积", count: units))) == expected)
    }

    @Test func unitsCountUTF16() {
        #expect(TextMetrics.units("【中国移动】") == 6)
        #expect(TextMetrics.units("😀") == 2)
        // Word-at-a-time counting agrees with UTF-16 on every length and mix.
        let pieces = ["a", "中", "😀", "é", "【", "1", " ", "𠀀"]
        var text = ""
        for i in 0..<200 {
            text += pieces[(i * 7 + i / 3) % pieces.count]
            #expect(TextMetrics.units(text) == text.utf16.count)
            #expect(TextMetrics.units(Array(text.utf8)) == text.utf16.count)
        }
        #expect(TextMetrics.units("𠮷a") == 3)
    }

    @Test func datesNameTheYearOnlyWhenItDiffers() {
        let d = CalendarDate("2026-11-30")!
        #expect(TextFormat.date(CalendarDate("2026-12-07")!, asOf: d) == "12月7日")
        #expect(TextFormat.date(CalendarDate("2027-01-05")!, asOf: d) == "2027年1月5日")
        #expect(TextFormat.month(YearMonth("2026-12")!, asOf: CalendarDate("2027-01-02")!) == "2026年12月")
        #expect(TextFormat.month(YearMonth("2026-11")!, asOf: d) == "11月")
    }

    @Test func signature() {
        #expect(TextFormat.signed("您好", signature: "中国移动") == "【中国移动】您好")
        #expect(TextFormat.signed("您好", signature: "") == "您好")
    }

    @Test(arguments: ["详见 http://x.cn", "访问www.example.com", "点击 10086.cn 查询", "【中国移动】您好", "see HTTPS://A"])
    func policyFindsLinksAndBrackets(_ text: String) {
        #expect(TextPolicy.problem(in: text) != nil)
    }

    @Test(arguments: ["发送0000至10086退订", "积分12.5元", "和彩云App", "彩铃业务5.5元/月"])
    func policyAllowsNotices(_ text: String) {
        #expect(TextPolicy.problem(in: text) == nil)
    }

    @Test func messageIDsAreStableForTheSameKeys() {
        let a = RenderedMessage.id(forKeys: ["b", "a"])
        #expect(a == RenderedMessage.id(forKeys: ["a", "b"]))
        #expect(a != RenderedMessage.id(forKeys: ["a"]))
        #expect(a.count == 32)
        // SHA-256("abc") starts with ba7816bf.
        #expect(SHA256.hex(Array("abc".utf8)).hasPrefix("ba7816bf8f01cfea414140de5dae2223"))
    }

    @Test func jsonEscapes() {
        #expect(JSONText.string("a\"b\\c\n\u{01}中") == "\"a\\\"b\\\\c\\n\\u0001中\"")
        // Every special character at every position of strings longer than one 8-byte word, Chinese around it.
        for special in ["\"", "\\", "\n", "\u{1F}", "\t"] {
            for position in 0..<20 {
                var text = String(repeating: "中a", count: 10)
                let index = text.index(text.startIndex, offsetBy: position)
                text.insert(contentsOf: special, at: index)
                let encoded = JSONText.string(text)
                let decoded = try? JSONSerialization.jsonObject(with: Data(encoded.utf8), options: .fragmentsAllowed) as? String
                #expect(decoded == text, "\(position) \(special.unicodeScalars.first!.value)")
            }
        }
        for n in [0, 7, 10, 99, 100, 1234567, Int.max, -1, -250, Int.min] {
            var out: [UInt8] = []
            JSONText.appendInteger(n, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(n))
        }
    }
}

@Suite struct SHA256Tests {
    /// The CPU's SHA instructions and the Swift rounds agree on every length around the block boundaries.
    @Test func acceleratedAndPlainAgree() {
        var message: [UInt8] = []
        for length in 0..<300 {
            let plain = SHA256.digest(message, accelerated: false)
            if SHA256.accelerated { #expect(SHA256.digest(message, accelerated: true) == plain, "length \(length)") }
            message.append(UInt8(truncatingIfNeeded: length &* 31 &+ 7))
        }
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
