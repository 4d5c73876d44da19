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

    @Test func eachReasonReadsBackFromItsSentence() {
        for reason in HoldReason.allCases { #expect(HoldReason(sentence: reason.sentence) == reason) }
    }
}
